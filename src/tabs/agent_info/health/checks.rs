//! BEY-3 as plain Rust: what each softphone health check decides from what the app already
//! knows (the agent's parameters, the softphone account, the browser, one WebSocket opened to
//! the registration server, the registration's state). Deciding changes nothing; the browser
//! I/O that gathers the facts is in `probe`, the view in `mod.rs`.
//! Over 400 lines because more than half of it is the tests of every combination.

use pc_model::parameters::choice;
use pc_model::{ParameterId, ParametersPage, SoftphoneAccount};
use pc_sip::Failure;

use crate::softphone::state::{PhoneFailure, PhoneState};
use crate::softphone::user_agent::server_name;

/// The checks, in the order the panel shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckId {
    Registration,
    /// PAR-6 Yes while WebRTC is off for the agent.
    AutoRegister,
    /// PAR-4 set while PAR-3 resolves to No.
    VideoDisplay,
    /// PAR-3 resolves to Yes for a WebRTC agent.
    OpeneyeIntegration,
    SoftphonePassword,
    RegistrationServer,
    MicrophonePermission,
    Microphone,
    Speaker,
    SecurePage,
    Network,
}

impl CheckId {
    /// A stable name, for element IDs and tests.
    pub fn code(self) -> &'static str {
        match self {
            CheckId::Registration => "registration",
            CheckId::AutoRegister => "auto-register",
            CheckId::VideoDisplay => "video-display",
            CheckId::OpeneyeIntegration => "openeye-integration",
            CheckId::SoftphonePassword => "softphone-password",
            CheckId::RegistrationServer => "registration-server",
            CheckId::MicrophonePermission => "microphone-permission",
            CheckId::Microphone => "microphone",
            CheckId::Speaker => "speaker",
            CheckId::SecurePage => "secure-page",
            CheckId::Network => "network",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub id: CheckId,
    pub status: Status,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Passed,
    Problem(Problem),
    NotRun(NotRun),
}

/// What is wrong; `fix` says where to put it right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not registered (PAR-6 No and Register not pressed, or Unregister).
    NotRegistered,
    Reconnecting {
        attempt: u32,
    },
    RegistrationFailed(PhoneFailure),
    AutoRegisterWithoutWebrtc,
    VideoDisplayUnused,
    OpeneyeWithWebrtc,
    NoSoftphonePassword,
    NoRegistrationServer,
    MicrophoneDenied,
    MicrophoneNotAsked,
    NoMicrophone,
    /// The browser plays only on the default speaker (no `setSinkId`).
    SpeakerNotChoosable,
    InsecurePage,
    /// No WebSocket opened to `server` (host and port).
    ServerUnreachable {
        server: String,
        failure: NetworkFailure,
    },
}

/// Where the agent puts a problem right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fix {
    /// The Agent Parameters tab, at this parameter.
    Parameter(ParameterId),
    /// The Reset Softphone Password button (AGT-4).
    ResetPassword,
    /// The softphone status and its Register button (AGT-5).
    Register,
    /// The Devices section (RTC-3).
    Devices,
    /// Another browser.
    Browser,
    /// The agent's network, or the administrator if it is not the network.
    Network,
    /// Tenant configuration only an administrator can change.
    Administrator,
}

impl Problem {
    pub fn fix(&self) -> Fix {
        match self {
            Problem::NotRegistered => Fix::Register,
            Problem::Reconnecting { .. }
            | Problem::ServerUnreachable {
                failure: NetworkFailure::Closed | NetworkFailure::NoAnswer,
                ..
            } => Fix::Network,
            Problem::RegistrationFailed(failure) => match failure {
                PhoneFailure::NoPassword
                | PhoneFailure::Registrar(Failure::WrongCredentials { .. })
                | PhoneFailure::Registrar(Failure::RealmMismatch { .. }) => Fix::ResetPassword,
                PhoneFailure::Registrar(_)
                | PhoneFailure::BadServerAddress
                | PhoneFailure::NoAccount(_) => Fix::Administrator,
            },
            Problem::AutoRegisterWithoutWebrtc => Fix::Parameter(ParameterId::WebrtcAutoRegister),
            Problem::VideoDisplayUnused => Fix::Parameter(ParameterId::OpeneyeVideoDisplay),
            Problem::OpeneyeWithWebrtc => Fix::Parameter(ParameterId::IntegrateOpeneye),
            Problem::NoSoftphonePassword => Fix::ResetPassword,
            Problem::MicrophoneDenied | Problem::MicrophoneNotAsked | Problem::NoMicrophone => {
                Fix::Devices
            }
            Problem::SpeakerNotChoosable => Fix::Browser,
            Problem::NoRegistrationServer
            | Problem::InsecurePage
            | Problem::ServerUnreachable {
                failure: NetworkFailure::BadAddress,
                ..
            } => Fix::Administrator,
        }
    }
}

/// Why a check could not decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotRun {
    /// The registration is being made or ended right now.
    InProgress,
    /// There is no registration server to check against.
    NoRegistrationServer,
    /// The browser gives no devices here (no `navigator.mediaDevices`, or listing failed).
    NoDeviceList,
    /// The browser does not say whether the microphone is allowed.
    BrowserDoesNotSay,
    /// The browser lists no speaker: Firefox lists them only once one is picked through its
    /// own prompt, WebKit not at all, so none listed does not mean none connected.
    SpeakersNotListed,
}

/// What the browser says about the microphone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    Granted,
    Denied,
    /// The agent has not been asked yet.
    Prompt,
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrowserFacts {
    /// HTTPS or localhost: browsers give the microphone only to such pages.
    pub secure: bool,
    pub permission: Permission,
    /// How many microphones and speakers the browser lists; `None` when it lists none at all.
    pub devices: Option<(usize, usize)>,
    /// The browser can play on a chosen speaker (`setSinkId`).
    pub sink_choice: bool,
}

/// Why no WebSocket to the registration server opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkFailure {
    /// The address is not a `ws://` or `wss://` address the browser accepts.
    BadAddress,
    /// Closed (refused or unreachable) before it opened. Browsers tell pages no more than that.
    Closed,
    /// Neither opened nor closed within `probe::OPEN_TIMEOUT_MS`.
    NoAnswer,
}

/// A WebSocket opened to the registration server, and closed at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkProbe {
    Opened { ms: u32 },
    Failed(NetworkFailure),
}

/// What the WebRTC checks start from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoftphoneFacts {
    /// `None` when the server gives no softphone account: the tenant has no registration
    /// server for browsers.
    pub account: Option<SoftphoneAccount>,
    pub browser: BrowserFacts,
    /// `None` when there was no server to open a WebSocket to.
    pub network: Option<NetworkProbe>,
}

/// Everything the checks start from but the registration's state, which changes by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    pub parameters: ParametersPage,
    /// `None` for an agent without WebRTC: only the settings that concern them are checked.
    pub softphone: Option<SoftphoneFacts>,
}

/// The checks for the agent, in order.
pub fn checks(facts: &Facts, phone: &PhoneState) -> Vec<Check> {
    let check = |id, status| Check { id, status };
    let parameters = &facts.parameters;
    let video_display = check(
        CheckId::VideoDisplay,
        problem_if(
            !parameters
                .value(ParameterId::OpeneyeVideoDisplay)
                .is_empty()
                && !parameters.openeye_integrated(),
            Problem::VideoDisplayUnused,
        ),
    );
    let Some(softphone) = &facts.softphone else {
        let auto_register = parameters.value(ParameterId::WebrtcAutoRegister) == choice::YES;
        return vec![
            check(
                CheckId::AutoRegister,
                problem_if(auto_register, Problem::AutoRegisterWithoutWebrtc),
            ),
            video_display,
        ];
    };
    let browser = softphone.browser;
    vec![
        check(CheckId::Registration, registration(phone)),
        video_display,
        check(
            CheckId::OpeneyeIntegration,
            problem_if(parameters.openeye_integrated(), Problem::OpeneyeWithWebrtc),
        ),
        check(
            CheckId::SoftphonePassword,
            match &softphone.account {
                None => Status::NotRun(NotRun::NoRegistrationServer),
                Some(account) => {
                    problem_if(account.credentials.is_none(), Problem::NoSoftphonePassword)
                }
            },
        ),
        check(
            CheckId::RegistrationServer,
            problem_if(softphone.account.is_none(), Problem::NoRegistrationServer),
        ),
        check(CheckId::MicrophonePermission, permission(browser)),
        check(
            CheckId::Microphone,
            match browser.devices {
                None => Status::NotRun(NotRun::NoDeviceList),
                Some((microphones, _)) => problem_if(microphones == 0, Problem::NoMicrophone),
            },
        ),
        check(CheckId::Speaker, speaker(browser)),
        check(
            CheckId::SecurePage,
            problem_if(!browser.secure, Problem::InsecurePage),
        ),
        check(
            CheckId::Network,
            match (&softphone.account, softphone.network) {
                (Some(account), Some(NetworkProbe::Failed(failure))) => {
                    Status::Problem(Problem::ServerUnreachable {
                        server: server_name(&account.websocket_url).to_owned(),
                        failure,
                    })
                }
                (Some(_), Some(NetworkProbe::Opened { .. })) => Status::Passed,
                _ => Status::NotRun(NotRun::NoRegistrationServer),
            },
        ),
    ]
}

fn problem_if(wrong: bool, problem: Problem) -> Status {
    if wrong {
        Status::Problem(problem)
    } else {
        Status::Passed
    }
}

fn registration(phone: &PhoneState) -> Status {
    match phone {
        PhoneState::Registered { .. } => Status::Passed,
        PhoneState::Connecting | PhoneState::Registering | PhoneState::Unregistering => {
            Status::NotRun(NotRun::InProgress)
        }
        PhoneState::Idle | PhoneState::Unregistered => Status::Problem(Problem::NotRegistered),
        PhoneState::Reconnecting { attempt, .. } => {
            Status::Problem(Problem::Reconnecting { attempt: *attempt })
        }
        PhoneState::Failed(failure) => {
            Status::Problem(Problem::RegistrationFailed(failure.clone()))
        }
    }
}

fn permission(browser: BrowserFacts) -> Status {
    match browser.permission {
        Permission::Granted => Status::Passed,
        Permission::Denied => Status::Problem(Problem::MicrophoneDenied),
        Permission::Prompt => Status::Problem(Problem::MicrophoneNotAsked),
        Permission::Unknown => Status::NotRun(NotRun::BrowserDoesNotSay),
    }
}

fn speaker(browser: BrowserFacts) -> Status {
    match browser.devices {
        None => Status::NotRun(NotRun::NoDeviceList),
        Some((_, 0)) => Status::NotRun(NotRun::SpeakersNotListed),
        Some(_) => problem_if(!browser.sink_choice, Problem::SpeakerNotChoosable),
    }
}

#[cfg(test)]
mod tests {
    use pc_model::{AgentParameter, DigestCredentials, TenantAnswerMode, TenantParameters};

    use super::*;

    fn parameters(par3: &str, tenant_openeye: bool, par4: &str, par6: &str) -> ParametersPage {
        let value = |id: ParameterId, value: &str| AgentParameter {
            id,
            value: value.into(),
            synced: true,
        };
        ParametersPage {
            parameters: vec![
                value(ParameterId::IntegrateOpeneye, par3),
                value(ParameterId::OpeneyeVideoDisplay, par4),
                value(ParameterId::WebrtcAutoRegister, par6),
            ],
            version: 1,
            tenant: TenantParameters {
                answer_mode: TenantAnswerMode::Manual,
                integrate_openeye: tenant_openeye,
            },
        }
    }

    fn account(password: bool) -> SoftphoneAccount {
        SoftphoneAccount {
            websocket_url: "ws://127.0.0.1:5066".into(),
            domain: "northwind.example".into(),
            user: "70001001".into(),
            display_name: "Alice Wang".into(),
            credentials: password.then(|| DigestCredentials {
                realm: "northwind.example".into(),
                ha1: "0123456789abcdef0123456789abcdef".into(),
            }),
            auto_register: true,
        }
    }

    const HEALTHY_BROWSER: BrowserFacts = BrowserFacts {
        secure: true,
        permission: Permission::Granted,
        devices: Some((1, 1)),
        sink_choice: true,
    };

    fn healthy() -> Facts {
        Facts {
            parameters: parameters(choice::NO, true, "", choice::YES),
            softphone: Some(SoftphoneFacts {
                account: Some(account(true)),
                browser: HEALTHY_BROWSER,
                network: Some(NetworkProbe::Opened { ms: 12 }),
            }),
        }
    }

    fn registered() -> PhoneState {
        PhoneState::Registered {
            server: "127.0.0.1:5066".into(),
            refresh_at_ms: 1,
        }
    }

    fn status(checks: &[Check], id: CheckId) -> Option<Status> {
        checks.iter().find(|c| c.id == id).map(|c| c.status.clone())
    }

    fn softphone(facts: &mut Facts) -> &mut SoftphoneFacts {
        facts.softphone.as_mut().unwrap()
    }

    #[test]
    fn a_healthy_webrtc_agent_passes_every_check_in_order() {
        let checks = checks(&healthy(), &registered());
        let ids: Vec<CheckId> = checks.iter().map(|c| c.id).collect();
        assert_eq!(
            ids,
            vec![
                CheckId::Registration,
                CheckId::VideoDisplay,
                CheckId::OpeneyeIntegration,
                CheckId::SoftphonePassword,
                CheckId::RegistrationServer,
                CheckId::MicrophonePermission,
                CheckId::Microphone,
                CheckId::Speaker,
                CheckId::SecurePage,
                CheckId::Network,
            ]
        );
        assert!(
            checks.iter().all(|c| c.status == Status::Passed),
            "{checks:?}"
        );
    }

    /// Every combination of the settings: PAR-3 (3 values) × the tenant's OpenEye × PAR-4 set
    /// or not × PAR-6 × WebRTC, each contradiction decided as the issue words it.
    #[test]
    fn every_combination_of_settings_shows_exactly_its_contradictions() {
        for par3 in [choice::NO, choice::YES, choice::TENANT] {
            for tenant_openeye in [false, true] {
                for par4 in ["", "0,0,800,380,PiP,Fit"] {
                    for par6 in [choice::YES, choice::NO] {
                        for webrtc in [false, true] {
                            let mut facts = healthy();
                            facts.parameters = parameters(par3, tenant_openeye, par4, par6);
                            if !webrtc {
                                facts.softphone = None;
                            }
                            let checks = checks(&facts, &registered());
                            let resolves_yes =
                                par3 == choice::YES || (par3 == choice::TENANT && tenant_openeye);
                            let case = format!("{par3} {tenant_openeye} {par4:?} {par6} {webrtc}");
                            let expect = |wrong: bool, problem: Problem| {
                                if wrong {
                                    Some(Status::Problem(problem))
                                } else {
                                    Some(Status::Passed)
                                }
                            };
                            assert_eq!(
                                status(&checks, CheckId::VideoDisplay),
                                expect(
                                    !par4.is_empty() && !resolves_yes,
                                    Problem::VideoDisplayUnused
                                ),
                                "{case}"
                            );
                            if webrtc {
                                assert_eq!(status(&checks, CheckId::AutoRegister), None, "{case}");
                                assert_eq!(
                                    status(&checks, CheckId::OpeneyeIntegration),
                                    expect(resolves_yes, Problem::OpeneyeWithWebrtc),
                                    "{case}"
                                );
                            } else {
                                assert_eq!(
                                    status(&checks, CheckId::AutoRegister),
                                    expect(par6 == choice::YES, Problem::AutoRegisterWithoutWebrtc),
                                    "{case}"
                                );
                                // Only the settings that concern an agent without WebRTC.
                                assert_eq!(checks.len(), 2, "{case}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_softphone_password_and_the_registration_server_are_checked_together() {
        let mut facts = healthy();
        softphone(&mut facts).account = Some(account(false));
        let checks_without_password = checks(&facts, &registered());
        assert_eq!(
            status(&checks_without_password, CheckId::SoftphonePassword),
            Some(Status::Problem(Problem::NoSoftphonePassword))
        );
        assert_eq!(
            status(&checks_without_password, CheckId::RegistrationServer),
            Some(Status::Passed)
        );
        softphone(&mut facts).account = None;
        softphone(&mut facts).network = None;
        let without_server = checks(&facts, &registered());
        assert_eq!(
            status(&without_server, CheckId::RegistrationServer),
            Some(Status::Problem(Problem::NoRegistrationServer))
        );
        assert_eq!(
            status(&without_server, CheckId::SoftphonePassword),
            Some(Status::NotRun(NotRun::NoRegistrationServer))
        );
        assert_eq!(
            status(&without_server, CheckId::Network),
            Some(Status::NotRun(NotRun::NoRegistrationServer))
        );
    }

    #[test]
    fn every_registration_state_is_decided() {
        let refused = PhoneFailure::Registrar(Failure::WrongCredentials {
            code: 403,
            reason: "Forbidden".into(),
        });
        let cases = [
            (registered(), Status::Passed),
            (PhoneState::Connecting, Status::NotRun(NotRun::InProgress)),
            (PhoneState::Registering, Status::NotRun(NotRun::InProgress)),
            (
                PhoneState::Unregistering,
                Status::NotRun(NotRun::InProgress),
            ),
            (PhoneState::Idle, Status::Problem(Problem::NotRegistered)),
            (
                PhoneState::Unregistered,
                Status::Problem(Problem::NotRegistered),
            ),
            (
                PhoneState::Reconnecting {
                    attempt: 3,
                    retry_at_ms: 9,
                },
                Status::Problem(Problem::Reconnecting { attempt: 3 }),
            ),
            (
                PhoneState::Failed(refused.clone()),
                Status::Problem(Problem::RegistrationFailed(refused)),
            ),
        ];
        for (phone, expected) in cases {
            let checks = checks(&healthy(), &phone);
            assert_eq!(
                status(&checks, CheckId::Registration),
                Some(expected),
                "{phone:?}"
            );
        }
    }

    /// Every combination of what the browser says: permission × secure page × device list ×
    /// microphones × speakers × speaker choice.
    #[test]
    fn every_combination_of_browser_facts_is_decided() {
        let permissions = [
            (Permission::Granted, Status::Passed),
            (
                Permission::Denied,
                Status::Problem(Problem::MicrophoneDenied),
            ),
            (
                Permission::Prompt,
                Status::Problem(Problem::MicrophoneNotAsked),
            ),
            (
                Permission::Unknown,
                Status::NotRun(NotRun::BrowserDoesNotSay),
            ),
        ];
        for (permission, permission_status) in permissions.clone() {
            for secure in [false, true] {
                for devices in [None, Some((0, 0)), Some((0, 2)), Some((1, 0)), Some((2, 1))] {
                    for sink_choice in [false, true] {
                        let mut facts = healthy();
                        softphone(&mut facts).browser = BrowserFacts {
                            secure,
                            permission,
                            devices,
                            sink_choice,
                        };
                        let checks = checks(&facts, &registered());
                        let case = format!("{permission:?} {secure} {devices:?} {sink_choice}");
                        assert_eq!(
                            status(&checks, CheckId::MicrophonePermission).as_ref(),
                            Some(&permission_status),
                            "{case}"
                        );
                        assert_eq!(
                            status(&checks, CheckId::SecurePage),
                            Some(problem_if(!secure, Problem::InsecurePage)),
                            "{case}"
                        );
                        let (microphone, speaker) = match devices {
                            None => (
                                Status::NotRun(NotRun::NoDeviceList),
                                Status::NotRun(NotRun::NoDeviceList),
                            ),
                            Some((microphones, speakers)) => (
                                problem_if(microphones == 0, Problem::NoMicrophone),
                                if speakers == 0 {
                                    Status::NotRun(NotRun::SpeakersNotListed)
                                } else {
                                    problem_if(!sink_choice, Problem::SpeakerNotChoosable)
                                },
                            ),
                        };
                        assert_eq!(
                            status(&checks, CheckId::Microphone),
                            Some(microphone),
                            "{case}"
                        );
                        assert_eq!(status(&checks, CheckId::Speaker), Some(speaker), "{case}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_network_check_follows_the_websocket() {
        let unreachable = |failure| {
            Status::Problem(Problem::ServerUnreachable {
                server: "127.0.0.1:5066".into(),
                failure,
            })
        };
        for (network, expected) in [
            (Some(NetworkProbe::Opened { ms: 3 }), Status::Passed),
            (
                Some(NetworkProbe::Failed(NetworkFailure::Closed)),
                unreachable(NetworkFailure::Closed),
            ),
            (
                Some(NetworkProbe::Failed(NetworkFailure::NoAnswer)),
                unreachable(NetworkFailure::NoAnswer),
            ),
            (
                Some(NetworkProbe::Failed(NetworkFailure::BadAddress)),
                unreachable(NetworkFailure::BadAddress),
            ),
            (None, Status::NotRun(NotRun::NoRegistrationServer)),
        ] {
            let mut facts = healthy();
            softphone(&mut facts).network = network;
            assert_eq!(
                status(&checks(&facts, &registered()), CheckId::Network),
                Some(expected)
            );
        }
    }

    #[test]
    fn every_problem_points_where_it_is_fixed() {
        let cases = [
            (Problem::NotRegistered, Fix::Register),
            (Problem::Reconnecting { attempt: 1 }, Fix::Network),
            (
                Problem::RegistrationFailed(PhoneFailure::NoPassword),
                Fix::ResetPassword,
            ),
            (
                Problem::RegistrationFailed(PhoneFailure::Registrar(Failure::WrongCredentials {
                    code: 403,
                    reason: "Forbidden".into(),
                })),
                Fix::ResetPassword,
            ),
            (
                Problem::RegistrationFailed(PhoneFailure::Registrar(Failure::RealmMismatch {
                    challenge_realm: "x".into(),
                })),
                Fix::ResetPassword,
            ),
            (
                Problem::RegistrationFailed(PhoneFailure::Registrar(Failure::Rejected {
                    code: 404,
                    reason: "Not Found".into(),
                })),
                Fix::Administrator,
            ),
            (
                Problem::RegistrationFailed(PhoneFailure::Registrar(
                    Failure::UnsupportedChallenge {
                        detail: "SHA".into(),
                    },
                )),
                Fix::Administrator,
            ),
            (
                Problem::RegistrationFailed(PhoneFailure::BadServerAddress),
                Fix::Administrator,
            ),
            (
                Problem::RegistrationFailed(PhoneFailure::NoAccount("x".into())),
                Fix::Administrator,
            ),
            (
                Problem::AutoRegisterWithoutWebrtc,
                Fix::Parameter(ParameterId::WebrtcAutoRegister),
            ),
            (
                Problem::VideoDisplayUnused,
                Fix::Parameter(ParameterId::OpeneyeVideoDisplay),
            ),
            (
                Problem::OpeneyeWithWebrtc,
                Fix::Parameter(ParameterId::IntegrateOpeneye),
            ),
            (Problem::NoSoftphonePassword, Fix::ResetPassword),
            (Problem::NoRegistrationServer, Fix::Administrator),
            (Problem::MicrophoneDenied, Fix::Devices),
            (Problem::MicrophoneNotAsked, Fix::Devices),
            (Problem::NoMicrophone, Fix::Devices),
            (Problem::SpeakerNotChoosable, Fix::Browser),
            (Problem::InsecurePage, Fix::Administrator),
            (
                Problem::ServerUnreachable {
                    server: "sip.example".into(),
                    failure: NetworkFailure::Closed,
                },
                Fix::Network,
            ),
            (
                Problem::ServerUnreachable {
                    server: "sip.example".into(),
                    failure: NetworkFailure::NoAnswer,
                },
                Fix::Network,
            ),
            (
                Problem::ServerUnreachable {
                    server: "sip.example".into(),
                    failure: NetworkFailure::BadAddress,
                },
                Fix::Administrator,
            ),
        ];
        for (problem, fix) in cases {
            assert_eq!(problem.fix(), fix, "{problem:?}");
        }
    }
}
