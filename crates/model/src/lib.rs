//! API types and validation rules of the Agent Personal Center.
//!
//! Compiled into both the app (WebAssembly) and the server, so the two can never disagree about
//! what a request looks like or what is valid. No I/O lives here.

pub mod activity;
pub mod agent_info;
pub mod business_card;
pub mod customer_view;
pub mod field;
pub mod first_screen;
pub mod history;
pub mod identity;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod parameters;
pub mod problem;
pub mod session;
pub mod settings;
pub mod softphone;
pub mod softphone_password;
pub mod validation;
pub mod video_display;
pub mod workbench;

pub use activity::{ActivityEntry, ActivityKind, ActivityPage, FieldChange};
pub use agent_info::{
    ClientDownloads, RegistrationStatus, SavePhoneNumbers, TenantDownloadSettings,
};
pub use business_card::{
    BusinessCard, BusinessCardPage, CardOrgUnit, GenerateBusinessCard, RoutingTarget,
    WhatsAppChannel,
};
pub use customer_view::CustomerView;
pub use field::Field;
pub use history::{ParameterVersion, SavedBy, SettingsVersion};
pub use identity::{AgentInfo, AgentRole, AgentType, Employee, Permission, SkillQueue};
pub use parameters::{
    AgentParameter, BatchAnswer, BatchOutcome, BatchResult, CachedParameter, ParameterBatch,
    ParameterId, ParametersPage, SaveParameter, TenantAnswerMode, TenantParameters,
};
pub use problem::{FieldError, Problem, ProblemType, Violation};
pub use session::{
    is_sso_handle, SessionInfo, SignInMethod, SignInRequest, SignedOut, SsoOutcome, SsoProvider,
    SsoRedeem, SsoRedeemed, BEARER_TRANSPORT, CSRF_HEADER, SESSION_TRANSPORT_HEADER, SIGN_IN_PAGE,
    SIGN_OUT_IN_POPUP_PARAMETER, SSO_COMPLETE_PAGE, SSO_MESSAGE_TYPE, SSO_OUTCOME_PARAMETER,
    SSO_POPUP_PARAMETER,
};
pub use settings::{
    ConcurrencySource, EffectiveConcurrency, Greeting, PersonalSettings, SaveSettings,
    SettingsContext, SettingsPage,
};
pub use softphone::{DigestCredentials, IceServer, IceServers, SoftphoneAccount};
pub use softphone_password::{
    CodeDelivery, CodeDeliveryState, CodeSent, PasswordChecklist, PasswordResetContext,
    ResetSoftphonePassword, TwoFactorMethod,
};
pub use video_display::VideoPart;
pub use workbench::WorkbenchSettings;
