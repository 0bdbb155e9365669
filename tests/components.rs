//! Component tests in headless Chromium (wasm-bindgen-test): each component mounted alone, driven
//! through the DOM as a browser would.

use leptos::prelude::*;
use pc_app::components::avatar_chooser::AvatarChooser;
use pc_app::components::confirm_dialog::ConfirmDialog;
use pc_app::components::employee_panel::EmployeeDetails;
use pc_app::components::tab_list::TabList;
use pc_app::components::text_field::TextField;
use pc_app::components::version_history::VersionHistory;
use pc_app::i18n::*;
use pc_app::routes::Tab;
use pc_app::session::Auth;
use pc_app::share::Copied;
use pc_app::tabs::agent_info::{
    AgentDetails, DownloadButtons, PasswordReset, PhoneNumbers, SoftphoneRegistration,
};
use pc_app::tabs::agent_parameters::table::ParametersTable;
use pc_app::tabs::agent_parameters::ParameterEditor;
use pc_app::tabs::personalized_settings::ename_card::{Card, CardPanel, Status};
use pc_app::tabs::personalized_settings::form::{SettingsForm, SettingsValues};
use pc_app::tabs::personalized_settings::greeting_editor::GreetingEditor;
use pc_model::{
    AgentInfo, AgentParameter, AgentRole, AgentType, BusinessCard, BusinessCardPage, CardOrgUnit,
    ClientDownloads, Employee, FieldChange, Greeting, ParameterId, ParameterVersion,
    ParametersPage, PersonalSettings, RegistrationStatus, SavedBy, SettingsContext, SettingsPage,
    SkillQueue, TenantAnswerMode, TenantParameters, TwoFactorMethod, Violation, WhatsAppChannel,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlDialogElement, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{choose, find, mount, settle, text};

fn press(element: &HtmlElement, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    element.dispatch_event(&event).unwrap();
}

fn selected_tabs(container: &HtmlElement) -> Vec<String> {
    let tabs = container
        .query_selector_all("[role=tab][aria-selected=true]")
        .unwrap();
    (0..tabs.length())
        .map(|i| tabs.item(i).unwrap().unchecked_into::<HtmlElement>().id())
        .collect()
}

#[wasm_bindgen_test]
async fn arrow_keys_move_selection_and_focus_between_tabs() {
    let selected = RwSignal::new(Tab::AgentInfo);
    let (container, _handle) = mount(move || {
        view! { <TabList selected=selected on_select=Callback::new(move |tab| selected.set(tab))/> }
    });
    settle().await;
    assert_eq!(selected_tabs(&container), ["tab-agent-info"]);
    // Roving tabindex: only the selected tab is a tab stop.
    assert_eq!(find(&container, "#tab-agent-info").tab_index(), 0);
    assert_eq!(find(&container, "#tab-agent-parameters").tab_index(), -1);

    find(&container, "#tab-agent-info").focus().unwrap();
    press(&find(&container, "#tab-agent-info"), "ArrowRight");
    settle().await;
    assert_eq!(selected_tabs(&container), ["tab-personalized-settings"]);
    assert_eq!(
        document().active_element().unwrap().id(),
        "tab-personalized-settings"
    );

    press(&find(&container, "#tab-personalized-settings"), "End");
    settle().await;
    assert_eq!(selected_tabs(&container), ["tab-agent-parameters"]);
    press(&find(&container, "#tab-agent-parameters"), "ArrowRight");
    settle().await;
    assert_eq!(selected_tabs(&container), ["tab-agent-info"]);
    assert_eq!(document().active_element().unwrap().id(), "tab-agent-info");
    press(&find(&container, "#tab-agent-info"), "ArrowLeft");
    settle().await;
    assert_eq!(selected_tabs(&container), ["tab-agent-parameters"]);
    press(&find(&container, "#tab-agent-parameters"), "Home");
    settle().await;
    assert_eq!(selected_tabs(&container), ["tab-agent-info"]);

    find(&container, "#tab-agent-parameters").click();
    settle().await;
    assert_eq!(selected.get_untracked(), Tab::AgentParameters);
    for tab in Tab::ALL {
        let element = find(&container, &format!("#tab-{}", tab.slug()));
        assert_eq!(element.get_attribute("role").as_deref(), Some("tab"));
        assert_eq!(
            element.get_attribute("aria-controls").as_deref(),
            Some("tab-panel")
        );
    }
}

#[wasm_bindgen_test]
async fn the_employee_panel_shows_all_six_fields_and_translates() {
    let employee = Employee {
        business_account: "carol.chen".into(),
        username: "Carol Chen".into(),
        phone: "+1 415 555 0113".into(),
        email: "carol.chen@contoso.example".into(),
        position: "Quality Inspector".into(),
        manager: None,
    };
    let i18n_of_view = ArcRwSignal::new(None::<leptos_i18n::I18nContext<Locale>>);
    let slot = i18n_of_view.clone();
    let (container, _handle) = mount(move || {
        slot.set(Some(use_i18n()));
        view! { <EmployeeDetails employee/> }
    });
    settle().await;
    for (field, value) in [
        ("business_account", "carol.chen"),
        ("username", "Carol Chen"),
        ("phone", "+1 415 555 0113"),
        ("email", "carol.chen@contoso.example"),
        ("position", "Quality Inspector"),
        ("manager", "None"),
    ] {
        assert_eq!(
            text(&container, &format!("[data-field={field}]")),
            value,
            "{field}"
        );
    }
    let labels = container.query_selector_all("dt").unwrap();
    assert_eq!(labels.length(), 6);
    assert_eq!(text(&container, "dt"), "Business Account");

    let i18n = i18n_of_view
        .get_untracked()
        .expect("the view ran inside the i18n provider");
    i18n.set_locale(Locale::zh_CN);
    settle().await;
    assert_eq!(text(&container, "dt"), "业务账号");
    assert_eq!(text(&container, "[data-field=manager]"), "无");
}

#[wasm_bindgen_test]
async fn agent_info_lists_every_skill_queue() {
    let agent = AgentInfo {
        agent_id: 1001,
        agent_type: AgentType::Versatile,
        role: AgentRole::TeamLeader,
        softphone_number: "70001001".into(),
        registration_server: "sip.northwind.example:5060".into(),
        skill_queues: vec![
            SkillQueue {
                id: 1,
                name: "Billing".into(),
            },
            SkillQueue {
                id: 2,
                name: "Technical Support".into(),
            },
        ],
        fixed_line: None,
        mobile: None,
        webrtc_enabled: true,
        bound_to_business_account: true,
        permissions: Vec::new(),
    };
    let without_queues = AgentInfo {
        skill_queues: Vec::new(),
        ..agent.clone()
    };
    let (container, _handle) = mount(move || view! { <AgentDetails agent/> });
    let (empty, _empty_handle) = mount(move || view! { <AgentDetails agent=without_queues/> });
    settle().await;
    assert_eq!(text(&container, "[data-field=agent_id]"), "1001");
    assert_eq!(
        text(&container, "[data-field=agent_type]"),
        "Versatile agent"
    );
    assert_eq!(text(&container, "[data-field=role]"), "Team leader");
    assert_eq!(
        text(&container, "[data-field=registration_server]"),
        "sip.northwind.example:5060"
    );
    let queues = container.query_selector_all(".skill-queues li").unwrap();
    assert_eq!(queues.length(), 2);
    assert_eq!(
        queues.item(1).unwrap().text_content().as_deref(),
        Some("Technical Support")
    );
    assert_eq!(
        text(&empty, "[data-field=skill_queues]"),
        "No skill queue is assigned."
    );
}

#[wasm_bindgen_test]
async fn a_field_with_an_error_is_marked_invalid_and_points_at_its_message() {
    let value = RwSignal::new("a very long value".to_owned());
    let error = RwSignal::new(None::<Violation>);
    let (container, _handle) = mount(move || {
        view! {
            <TextField
                id="nickname"
                label=ViewFn::from(|| "Session Nickname")
                value
                on_input=Callback::new(move |text| value.set(text))
                error
            />
        }
    });
    settle().await;
    let input = find(&container, "input");
    assert_eq!(text(&container, "label[for=nickname]"), "Session Nickname");
    assert_eq!(input.get_attribute("aria-invalid"), None);
    assert!(container
        .query_selector("#nickname-error")
        .unwrap()
        .is_none());

    error.set(Some(Violation::TooLong { max: 20 }));
    settle().await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("nickname-error")
    );
    assert_eq!(
        text(&container, "#nickname-error"),
        "Error: Use at most 20 characters."
    );
    // What the agent typed stays in the field.
    assert_eq!(
        input.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "a very long value"
    );

    error.set(None);
    settle().await;
    assert_eq!(input.get_attribute("aria-invalid"), None);
    assert!(container
        .query_selector("#nickname-error")
        .unwrap()
        .is_none());
}

fn count(container: &HtmlElement, css: &str) -> u32 {
    container.query_selector_all(css).unwrap().length()
}

fn settings_page(greetings: Vec<Greeting>) -> SettingsPage {
    SettingsPage {
        settings: PersonalSettings {
            greetings,
            ..Default::default()
        },
        version: 1,
        context: SettingsContext {
            tenant_signature: String::new(),
            ou_concurrency: None,
            tenant_concurrency: 10,
            bound_to_business_account: true,
            username: "Alice Wang".into(),
        },
    }
}

#[wasm_bindgen_test]
async fn the_greeting_editor_adds_up_to_four_and_deletes() {
    let (container, _handle) = mount(|| {
        let form = SettingsForm::new(SettingsValues::from_page(&settings_page(Vec::new())));
        view! { <GreetingEditor form/> }
    });
    settle().await;
    assert_eq!(count(&container, ".greeting-row"), 0);
    assert!(
        text(&container, "[data-testid=strip-summary]").ends_with("No hour has a greeting yet.")
    );
    for _ in 0..5 {
        find(&container, "#add-greeting").click();
        settle().await;
    }
    // The fifth is refused, and the button says why.
    assert_eq!(count(&container, ".greeting-row"), 4);
    let add = find(&container, "#add-greeting");
    assert_eq!(add.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert_eq!(
        add.get_attribute("aria-describedby").as_deref(),
        Some("add-greeting-why")
    );
    assert_eq!(
        text(&container, "#add-greeting-why"),
        "You have four greetings, the most allowed. Delete one to add another."
    );
    // Each new greeting took the next free hour.
    assert_eq!(
        text(&container, "#greeting-3-start option:checked"),
        "03:00"
    );
    assert_eq!(text(&container, "#greeting-3-end option:checked"), "04:00");

    find(&container, "#greeting-1-delete").click();
    settle().await;
    assert_eq!(count(&container, ".greeting-row"), 3);
    assert_eq!(
        find(&container, "#add-greeting").get_attribute("aria-disabled"),
        None
    );
    assert_eq!(
        text(&container, "#greeting-1-start option:checked"),
        "02:00"
    );
}

#[wasm_bindgen_test]
async fn the_greeting_editor_shows_overlaps_in_the_row_and_on_the_strip() {
    let greetings = vec![
        Greeting {
            start_hour: 8,
            end_hour: 12,
            text: "Morning".into(),
        },
        Greeting {
            start_hour: 11,
            end_hour: 14,
            text: "Noon".into(),
        },
    ];
    let (container, _handle) = mount(move || {
        let form = SettingsForm::new(SettingsValues::from_page(&settings_page(greetings)));
        view! { <GreetingEditor form/> }
    });
    settle().await;
    assert_eq!(
        text(&container, "#greeting-1-end-error"),
        "Error: This time range overlaps greeting 1."
    );
    assert_eq!(
        text(&container, "#greeting-0-end-error"),
        "Error: This time range overlaps greeting 2."
    );
    assert_eq!(
        find(&container, "#greeting-1-end")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(count(&container, ".hour.overlap"), 1);
    assert_eq!(text(&container, ".hour.overlap .hour-greetings"), "1+2");
    assert_eq!(count(&container, ".hour.uncovered"), 24 - 6);
    let summary = text(&container, "[data-testid=strip-summary]");
    assert!(
        summary.contains("Overlapping hours: 11:00–12:00."),
        "{summary}"
    );
    assert!(
        summary.contains("Hours without a greeting: 00:00–08:00, 14:00–00:00."),
        "{summary}"
    );

    // Moving the second greeting's start past the first's end clears the overlap.
    let start: web_sys::HtmlSelectElement = find(&container, "#greeting-1-start").unchecked_into();
    start.set_value("12");
    start
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(count(&container, ".hour.overlap"), 0);
    assert!(container
        .query_selector("#greeting-1-end-error")
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn the_avatar_chooser_offers_eight_and_reports_the_choice() {
    let chosen = RwSignal::new(None::<u8>);
    let (container, _handle) = mount(move || {
        view! {
            <AvatarChooser
                current=Signal::derive(|| 2)
                on_choose=Callback::new(move |avatar| chosen.set(Some(avatar)))
            />
        }
    });
    settle().await;
    let dialog: HtmlDialogElement = find(&container, "dialog").unchecked_into();
    assert!(!dialog.open());
    find(&container, "#change-avatar").click();
    settle().await;
    assert!(dialog.open());
    assert_eq!(count(&container, "input[type=radio][name=avatar]"), 8);
    let checked: HtmlInputElement = find(&container, "input[name=avatar]:checked").unchecked_into();
    assert_eq!(checked.value(), "2");
    // Every option has an accessible name.
    assert_eq!(
        text(&container, ".avatar-option:nth-child(4) span"),
        "Avatar 3: Sunset"
    );

    find(&container, "input[name=avatar][value='7']").click();
    settle().await;
    find(&container, ".avatar-dialog button[type=submit]").click();
    settle().await;
    assert_eq!(chosen.get_untracked(), Some(7));
    assert!(!dialog.open());
}

fn parameters_page(integrate_openeye: bool) -> ParametersPage {
    ParametersPage {
        parameters: ParameterId::ALL
            .into_iter()
            .map(|id| AgentParameter {
                id,
                value: id.default_value().to_owned(),
                synced: true,
            })
            .collect(),
        version: 1,
        tenant: TenantParameters {
            answer_mode: TenantAnswerMode::Manual,
            integrate_openeye,
        },
    }
}

/// Types `value` into an input as the browser does: the value changes, then `input` fires.
fn type_into(container: &HtmlElement, css: &str, value: &str) {
    let input: HtmlInputElement = find(container, css).unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn svg_attr(container: &HtmlElement, css: &str, name: &str) -> f64 {
    container
        .query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {css}"))
        .get_attribute(name)
        .unwrap_or_else(|| panic!("{css} has no {name}"))
        .parse()
        .unwrap()
}

#[wasm_bindgen_test]
async fn the_video_display_editor_checks_while_typing_and_previews_the_window() {
    let cancelled = RwSignal::new(false);
    let (container, _handle) = mount(move || {
        let table = ParametersTable::new(parameters_page(false));
        table.begin_edit(ParameterId::OpeneyeVideoDisplay);
        view! {
            <ParameterEditor
                id=ParameterId::OpeneyeVideoDisplay
                table
                cancel=Callback::new(move |()| cancelled.set(true))
                save=Callback::new(|()| {})
                busy=Signal::derive(|| false)
            />
        }
    });
    settle().await;
    // PAR-3 resolves to No here (consistent with a tenant that does not integrate OpenEye).
    assert!(text(&container, "[data-testid=openeye-warning]").contains("resolves to Yes"));
    assert_eq!(
        text(&container, "label[for=openeye_video_display]"),
        "Parameter Value"
    );
    assert!(container
        .query_selector("[data-testid=video-preview]")
        .unwrap()
        .is_none());

    type_into(&container, "#openeye_video_display", "0,0,800");
    settle().await;
    let input = find(&container, "#openeye_video_display");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(input
        .get_attribute("aria-describedby")
        .unwrap()
        .contains("openeye_video_display-error"));
    assert_eq!(
        text(&container, "#openeye_video_display-error"),
        "Error: Enter six parts separated by commas, x,y,width,height,layout,mode, like 0,0,800,380,PiP,Fit. You entered 3."
    );
    type_into(&container, "#openeye_video_display", "0,0,800,380,PiP,Fill");
    settle().await;
    assert!(text(&container, "#openeye_video_display-error").contains("The mode must be Fit"));

    // Side by side, cut: two halves, each picture larger than its pane (cropped).
    type_into(
        &container,
        "#openeye_video_display",
        "100,50,800,400,SbS,Cut",
    );
    settle().await;
    assert!(container
        .query_selector("#openeye_video_display-error")
        .unwrap()
        .is_none());
    assert_eq!(svg_attr(&container, "[data-part=window]", "x"), 100.0);
    assert_eq!(svg_attr(&container, "[data-part=window]", "y"), 50.0);
    assert_eq!(svg_attr(&container, "[data-part=window]", "width"), 800.0);
    assert_eq!(svg_attr(&container, "[data-part=window]", "height"), 400.0);
    assert_eq!(count(&container, "[data-part=pane]"), 2);
    assert_eq!(
        svg_attr(&container, "[data-part=pane]:nth-of-type(2)", "x"),
        500.0
    );
    assert!(svg_attr(&container, "[data-part=picture]", "width") > 400.0);
    assert!(text(&container, "figcaption").contains("side by side"));

    // Picture in picture, fit: a small pane inside the window; the whole picture fits the wide
    // window with black borders left and right.
    type_into(&container, "#openeye_video_display", "0,0,800,400,PiP,Fit");
    settle().await;
    assert_eq!(
        svg_attr(&container, "[data-part=pane]:nth-of-type(2)", "width"),
        200.0
    );
    assert!(svg_attr(&container, "[data-part=picture]", "x") > 0.0);
    assert_eq!(svg_attr(&container, "[data-part=picture]", "height"), 400.0);
    assert!(text(&container, "figcaption").contains("picture in picture"));

    press(&find(&container, "#openeye_video_display"), "Escape");
    settle().await;
    assert!(cancelled.get_untracked());
}

#[wasm_bindgen_test]
async fn a_choice_editor_says_what_the_tenant_value_is() {
    let (container, _handle) = mount(move || {
        let table = ParametersTable::new(parameters_page(true));
        table.begin_edit(ParameterId::AnswerMode);
        view! {
            <ParameterEditor
                id=ParameterId::AnswerMode
                table
                cancel=Callback::new(|()| {})
                save=Callback::new(|()| {})
                busy=Signal::derive(|| false)
            />
        }
    });
    settle().await;
    assert_eq!(
        text(&container, "label[for=answer_mode]"),
        "Parameter Value"
    );
    let options: Vec<String> = (1..=3)
        .map(|i| text(&container, &format!("#answer_mode option:nth-child({i})")))
        .collect();
    assert_eq!(
        options,
        [
            "Automatic answer",
            "Manual response",
            "Consistent with tenant (tenant: Manual response)"
        ]
    );
    assert_eq!(text(&container, "#answer_mode option:checked"), options[2]);
    // No warning and no preview outside PAR-4.
    assert!(container
        .query_selector("[data-testid=openeye-warning]")
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn the_confirm_dialog_opens_modal_and_confirms_or_cancels() {
    let open = RwSignal::new(false);
    let confirmed = RwSignal::new(0);
    let (container, _handle) = mount(move || {
        view! {
            <ConfirmDialog
                id="confirm-test"
                open
                title=ViewFn::from(|| "Reset?")
                confirm_label=ViewFn::from(|| "Reset")
                on_confirm=Callback::new(move |()| confirmed.update(|n| *n += 1))
            >
                <p>"Back to the defaults."</p>
            </ConfirmDialog>
        }
    });
    settle().await;
    let dialog: HtmlDialogElement = find(&container, "#confirm-test").unchecked_into();
    assert!(!dialog.open());
    assert_eq!(
        dialog.get_attribute("aria-labelledby").as_deref(),
        Some("confirm-test-title")
    );
    open.set(true);
    settle().await;
    assert!(dialog.open());
    find(&container, "#confirm-test-cancel").click();
    settle().await;
    assert!(!dialog.open());
    assert!(!open.get_untracked());
    assert_eq!(confirmed.get_untracked(), 0);

    open.set(true);
    settle().await;
    find(&container, "#confirm-test-confirm").click();
    settle().await;
    assert!(!dialog.open());
    assert_eq!(confirmed.get_untracked(), 1);
}

fn answer_mode_version(id: i64, old: &str, new: &str) -> ParameterVersion {
    ParameterVersion {
        id,
        saved: SavedBy {
            at: 1_790_000_000 + id,
            address: "192.0.2.7".into(),
            browser: "Firefox/140".into(),
            changes: vec![FieldChange::between("answer_mode", old, new).unwrap()],
        },
        value: new.into(),
    }
}

#[wasm_bindgen_test]
async fn the_history_lists_versions_newest_first_and_restore_hands_one_back() {
    let open = RwSignal::new(false);
    let restored = RwSignal::new(None::<ParameterVersion>);
    let (container, _handle) = mount(move || {
        provide_context(Auth::default());
        view! {
            <VersionHistory
                id="history-test"
                open
                title=ViewFn::from(|| "History")
                load=|| async {
                    Ok(vec![
                        answer_mode_version(2, "manual", "automatic"),
                        answer_mode_version(1, "tenant", "manual"),
                    ])
                }
                on_restore=Callback::new(move |version| restored.set(Some(version)))
            />
        }
    });
    settle().await;
    let dialog: HtmlDialogElement = find(&container, "#history-test").unchecked_into();
    assert!(!dialog.open());
    // Nothing is loaded while the dialog is closed.
    assert!(container.query_selector(".version-list").unwrap().is_none());
    open.set(true);
    settle().await;
    assert!(dialog.open());
    assert_eq!(
        dialog.get_attribute("aria-labelledby").as_deref(),
        Some("history-test-title")
    );
    let items = container.query_selector_all(".version-list > li").unwrap();
    assert_eq!(items.length(), 2);
    assert_eq!(
        text(
            &container,
            ".version-list > li:nth-child(1) [data-field=answer_mode]"
        ),
        "Agent answer mode: Manual response → Automatic answer"
    );
    assert_eq!(
        text(&container, ".version-list > li:nth-child(2) .version-from"),
        "From 192.0.2.7Browser: Firefox/140"
    );
    // Each Restore button is described by its version's time, for a screen reader.
    let restore = find(&container, ".version-list > li:nth-child(2) button");
    let described_by = restore.get_attribute("aria-describedby").unwrap();
    assert!(find(&container, &format!("#{described_by} time"))
        .get_attribute("datetime")
        .is_some());
    restore.click();
    settle().await;
    assert!(!dialog.open());
    assert_eq!(
        restored.get_untracked().map(|v| v.value),
        Some("manual".into())
    );
}

#[wasm_bindgen_test]
async fn a_history_without_versions_says_so() {
    let open = RwSignal::new(true);
    let (container, _handle) = mount(move || {
        provide_context(Auth::default());
        view! {
            <VersionHistory
                id="history-empty"
                open
                title=ViewFn::from(|| "History")
                load=|| async { Ok(Vec::<ParameterVersion>::new()) }
                on_restore=Callback::new(|_| ())
            />
        }
    });
    settle().await;
    assert_eq!(
        text(&container, "[data-testid=no-versions]"),
        "No saved versions yet."
    );
}

fn ecard_page() -> BusinessCardPage {
    let channel = |id: i64, name: &str| WhatsAppChannel {
        id,
        name: name.into(),
        phone_number: "+8613800138000".into(),
    };
    BusinessCardPage {
        org_units: vec![
            CardOrgUnit {
                id: 11,
                name: "Customer Care".into(),
                channels: vec![channel(100, "Care"), channel(101, "Care (English)")],
            },
            CardOrgUnit {
                id: 13,
                name: "Customer Care VIP".into(),
                channels: vec![channel(103, "VIP")],
            },
        ],
        cards: Vec::new(),
    }
}

fn attribute(container: &HtmlElement, css: &str, name: &str) -> Option<String> {
    find(container, css).get_attribute(name)
}

fn focused_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_e_name_card_names_each_missing_choice_at_its_field() {
    let (container, _handle) = mount(|| {
        provide_context(Auth::default());
        view! { <CardPanel loaded=ecard_page()/> }
    });
    settle().await;
    // Labels in the spec's wording.
    assert_eq!(
        text(&container, "label[for=ecard-org-unit]"),
        "Organization Unit"
    );
    assert_eq!(
        text(&container, "label[for=ecard-channel]"),
        "Channel Selection"
    );
    assert_eq!(
        attribute(&container, "#ecard-org-unit", "aria-invalid"),
        None
    );

    find(&container, "#ecard-generate").click();
    settle().await;
    for id in ["ecard-org-unit", "ecard-channel"] {
        let css = format!("#{id}");
        assert_eq!(
            attribute(&container, &css, "aria-invalid").as_deref(),
            Some("true")
        );
        let described = attribute(&container, &css, "aria-describedby").unwrap();
        assert!(described.contains(&format!("{id}-error")), "{described}");
        assert_eq!(
            text(&container, &format!("#{id}-error")),
            "Error: Enter a value: this field is required."
        );
    }
    assert_eq!(focused_id(), "ecard-org-unit");
    assert!(container
        .query_selector("[data-testid=ecard-card]")
        .unwrap()
        .is_none());

    // An OU offers its own channels; its error goes, the channel's stays until one is chosen.
    choose(&container, "#ecard-org-unit", "11");
    settle().await;
    assert_eq!(
        attribute(&container, "#ecard-org-unit", "aria-invalid"),
        None
    );
    assert_eq!(count(&container, "#ecard-channel option"), 3);
    assert_eq!(
        attribute(&container, "#ecard-channel", "aria-invalid").as_deref(),
        Some("true")
    );
    // An OU with a single channel chooses it.
    choose(&container, "#ecard-org-unit", "13");
    settle().await;
    assert_eq!(
        text(&container, "#ecard-channel option:checked"),
        "VIP (+8613800138000)"
    );
    assert_eq!(
        attribute(&container, "#ecard-channel", "aria-invalid"),
        None
    );
}

#[wasm_bindgen_test]
async fn the_card_shows_the_qr_code_and_the_link_and_copying_falls_back_to_the_keyboard() {
    let link =
        "https://wa.me/8613800138000?text=Hello%2C%20Code%3A%20PC-0123456789ABCDEFGHJKMNPQRS";
    let card = BusinessCard {
        org_unit_id: 11,
        org_unit_name: "Customer Care".into(),
        channel: WhatsAppChannel {
            id: 100,
            name: "Care".into(),
            phone_number: "+8613800138000".into(),
        },
        code: "PC-0123456789ABCDEFGHJKMNPQRS".into(),
        link: link.into(),
        issued_at: 0,
        avatar: 3,
        display_name: "小王 Alice".into(),
    };
    let status = RwSignal::new(None::<Status>);
    let (container, _handle) = mount(move || view! { <Card card status/> });
    settle().await;
    assert_eq!(text(&container, "#ecard-name"), "小王 Alice");
    assert_eq!(
        text(&container, "[data-testid=ecard-channel]"),
        "Care · +8613800138000"
    );
    assert!(container
        .query_selector(".ecard-qr[role=img] svg path")
        .unwrap()
        .is_some());
    assert_eq!(
        attribute(&container, ".ecard-qr", "aria-label").as_deref(),
        Some("QR code of the link")
    );
    let input: HtmlInputElement = find(&container, "#ecard-link").unchecked_into();
    assert_eq!(input.value(), link);
    assert!(input.read_only());

    // A browser that refuses both the Clipboard API and the copy command.
    let navigator = window().navigator();
    let refusing = js_sys::Object::new();
    js_sys::Reflect::set(
        &refusing,
        &"writeText".into(),
        &js_sys::Function::new_no_args("return Promise.reject(new Error('refused'))"),
    )
    .unwrap();
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(&descriptor, &"value".into(), &refusing).unwrap();
    js_sys::Reflect::set(&descriptor, &"configurable".into(), &true.into()).unwrap();
    js_sys::Object::define_property(&navigator, &"clipboard".into(), &descriptor);
    js_sys::Reflect::set(
        &document(),
        &"execCommand".into(),
        &js_sys::Function::new_no_args("return false"),
    )
    .unwrap();

    find(&container, "#ecard-copy").click();
    for _ in 0..50 {
        if status.get_untracked().is_some() {
            break;
        }
        settle().await;
    }
    js_sys::Reflect::delete_property(&navigator, &"clipboard".into()).unwrap();
    js_sys::Reflect::delete_property(&document(), &"execCommand".into()).unwrap();
    assert_eq!(
        status.get_untracked(),
        Some(Status::Copied(Copied::SelectedForKeyboard))
    );
    // The link is focused and wholly selected, ready for Ctrl+C.
    assert_eq!(focused_id(), "ecard-link");
    assert_eq!(input.selection_start().unwrap(), Some(0));
    assert_eq!(input.selection_end().unwrap(), Some(link.len() as u32));
}

#[wasm_bindgen_test]
async fn download_buttons_are_only_those_with_an_address() {
    let both = ClientDownloads {
        vrc_url: Some("https://x.example/vrc.exe".into()),
        openeye_url: Some("https://x.example/openeye.exe".into()),
    };
    let only_openeye = ClientDownloads {
        vrc_url: None,
        ..both.clone()
    };
    let (container, _handle) = mount(move || view! { <DownloadButtons downloads=both/> });
    let (other, _other_handle) = mount(move || view! { <DownloadButtons downloads=only_openeye/> });
    settle().await;
    assert_eq!(text(&container, "#download-vrc"), "Download VRC");
    assert_eq!(
        find(&container, "#download-vrc")
            .get_attribute("href")
            .as_deref(),
        Some("https://x.example/vrc.exe")
    );
    assert_eq!(text(&container, "#download-openeye"), "Download OpenEye");
    assert!(other.query_selector("#download-vrc").unwrap().is_none());
    assert!(other.query_selector("#download-openeye").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn phone_number_dialog_marks_an_invalid_number_at_its_field() {
    let agent = AgentInfo {
        agent_id: 1001,
        agent_type: AgentType::Voice,
        role: AgentRole::Agent,
        softphone_number: "70001001".into(),
        registration_server: "sip.example:5060".into(),
        skill_queues: Vec::new(),
        fixed_line: None,
        mobile: Some("+8613800138011".into()),
        webrtc_enabled: false,
        bound_to_business_account: true,
        permissions: Vec::new(),
    };
    let (container, _handle) = mount(move || {
        provide_context(Auth::default());
        let agent = RwSignal::new(agent);
        view! { <PhoneNumbers agent/> }
    });
    settle().await;
    assert_eq!(text(&container, "[data-field=mobile]"), "+8613800138011");
    assert_eq!(text(&container, "[data-field=fixed_line]"), "—");
    find(&container, "#modify-phones").click();
    settle().await;
    let dialog: HtmlDialogElement = find(&container, "#phones-dialog").unchecked_into();
    assert!(dialog.open());
    let mobile: HtmlInputElement = find(&container, "#mobile").unchecked_into();
    assert_eq!(mobile.value(), "+8613800138011");
    assert_eq!(text(&container, "label[for=mobile]"), "Agent Mobile");
    assert_eq!(
        text(&container, "label[for=fixed_line]"),
        "Fixed-Line Number"
    );
    type_into(&container, "#mobile", "138-0013");
    settle().await;
    assert_eq!(
        mobile.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    let described = mobile.get_attribute("aria-describedby").unwrap();
    assert!(
        described.split(' ').any(|id| id == "mobile-error"),
        "{described}"
    );
    assert!(text(&container, "#mobile-error").contains("3 to 24"));
    // Saving with an invalid number keeps the dialog open and puts focus on the number.
    find(&container, "#phones-save").click();
    settle().await;
    assert!(dialog.open());
    assert_eq!(document().active_element().unwrap().id(), "mobile");
    type_into(&container, "#mobile", "+8613800138011");
    settle().await;
    assert_eq!(mobile.get_attribute("aria-invalid"), None);
    find(&container, "#phones-cancel").click();
    settle().await;
    assert!(!dialog.open());
}

#[wasm_bindgen_test]
async fn softphone_status_says_since_when_and_unregister_asks_first() {
    let registered = RegistrationStatus {
        registered: true,
        changed_at: Some(1_790_000_000),
    };
    let never = RegistrationStatus {
        registered: false,
        changed_at: None,
    };
    let (container, _handle) = mount(move || {
        provide_context(Auth::default());
        view! { <SoftphoneRegistration initial=registered/> }
    });
    let (other, _other_handle) = mount(move || {
        provide_context(Auth::default());
        view! { <SoftphoneRegistration initial=never/> }
    });
    settle().await;
    assert_eq!(
        text(&container, "[data-testid=registration-state]"),
        "Registered"
    );
    assert_eq!(
        find(&container, "[data-testid=registration-changed-at]")
            .get_attribute("datetime")
            .as_deref(),
        Some("2026-09-21T14:13:20.000Z")
    );
    assert_eq!(
        text(&other, "[data-testid=registration-state]"),
        "Not registered"
    );
    assert!(other.query_selector("#unregister").unwrap().is_none());
    assert!(other
        .query_selector("[data-testid=registration-changed-at]")
        .unwrap()
        .is_none());

    find(&container, "#unregister").click();
    settle().await;
    let dialog: HtmlDialogElement = find(&container, "#confirm-unregister").unchecked_into();
    assert!(dialog.open());
    assert_eq!(
        text(&container, "#confirm-unregister-confirm"),
        "Unregister"
    );
    find(&container, "#confirm-unregister-cancel").click();
    settle().await;
    assert!(!dialog.open());
    assert_eq!(
        text(&container, "[data-testid=registration-state]"),
        "Registered"
    );
}

fn met_rules(container: &HtmlElement) -> Vec<String> {
    let items = container
        .query_selector_all(".password-checklist li.met")
        .unwrap();
    (0..items.length())
        .map(|i| {
            items
                .item(i)
                .unwrap()
                .unchecked_into::<HtmlElement>()
                .get_attribute("data-rule")
                .unwrap()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_password_checklist_ticks_off_each_rule_as_it_is_met() {
    let (container, _handle) = mount(move || {
        provide_context(Auth::default());
        view! { <PasswordReset two_factor=TwoFactorMethod::Sms/> }
    });
    settle().await;
    find(&container, "#reset-password").click();
    settle().await;
    let dialog: HtmlDialogElement = find(&container, "#password-dialog").unchecked_into();
    assert!(dialog.open());
    assert_eq!(text(&container, "label[for=new_password]"), "New Password");
    assert_eq!(
        text(&container, "label[for=confirm_password]"),
        "Confirm Password"
    );
    assert_eq!(
        text(&container, "label[for=verification_code]"),
        "Verification Code"
    );
    assert_eq!(text(&container, "#send-code"), "Send Code");
    assert!(met_rules(&container).is_empty());
    let password: HtmlInputElement = find(&container, "#new_password").unchecked_into();
    assert!(password
        .get_attribute("aria-describedby")
        .unwrap()
        .contains("new_password-checklist"));

    type_into(&container, "#new_password", "abcdefgh");
    settle().await;
    assert_eq!(met_rules(&container), ["length", "allowed"]);
    assert_eq!(
        password.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(text(&container, "#new_password-error").contains("at least 3"));
    assert!(text(&container, "li[data-rule=kinds]").contains("not met"));

    type_into(&container, "#new_password", "Abcdefg1!");
    settle().await;
    assert_eq!(met_rules(&container), ["length", "kinds"]);
    assert!(text(&container, "#new_password-error").contains("!"));

    type_into(&container, "#new_password", "Abcdefg1.");
    settle().await;
    assert_eq!(met_rules(&container), ["length", "kinds", "allowed"]);
    assert_eq!(password.get_attribute("aria-invalid"), None);
    assert!(text(&container, "li[data-rule=kinds]").ends_with("met"));

    type_into(&container, "#confirm_password", "Abcdefg1");
    settle().await;
    let confirmation: HtmlInputElement = find(&container, "#confirm_password").unchecked_into();
    assert_eq!(
        confirmation.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        confirmation.get_attribute("aria-describedby").as_deref(),
        Some("confirm_password-error")
    );
    type_into(&container, "#confirm_password", "Abcdefg1.");
    settle().await;
    assert_eq!(
        met_rules(&container),
        ["length", "kinds", "allowed", "match"]
    );

    // Saving without the code keeps the dialog open and puts focus on the code.
    find(&container, "#password-save").click();
    settle().await;
    assert!(dialog.open());
    assert_eq!(
        document().active_element().unwrap().id(),
        "verification_code"
    );
    assert!(text(&container, "#verification_code-error").contains("required"));
}

#[wasm_bindgen_test]
async fn without_two_factor_there_is_no_code_field() {
    let (container, _handle) = mount(move || {
        provide_context(Auth::default());
        view! { <PasswordReset two_factor=TwoFactorMethod::None/> }
    });
    settle().await;
    assert!(container
        .query_selector("#verification_code")
        .unwrap()
        .is_none());
    assert!(container.query_selector("#send-code").unwrap().is_none());
}
