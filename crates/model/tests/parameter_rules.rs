//! The Agent Parameters rules (PAR-1 … PAR-7), by example and by property.

use pc_model::parameters::*;
use pc_model::{ParameterBatch, ParameterId, SaveParameter, VideoPart, Violation};
use proptest::prelude::*;

fn part_error(part: VideoPart) -> Result<VideoDisplay, Violation> {
    Err(Violation::InvalidVideoPart { part })
}

#[test]
fn the_defaults_are_the_spec_defaults() {
    let defaults: Vec<(&str, &str)> = ParameterId::ALL
        .iter()
        .map(|id| (id.code(), id.default_value()))
        .collect();
    assert_eq!(
        defaults,
        [
            ("callout_caller", ""),
            ("answer_mode", "tenant"),
            ("integrate_openeye", "tenant"),
            ("openeye_video_display", ""),
            ("ring_when_maximized", "no"),
            ("webrtc_auto_register", "yes"),
            ("skill_queue_signin_mode", "specified"),
        ]
    );
}

#[test]
fn par1_callout_caller_is_a_calling_number_or_empty() {
    let id = ParameterId::CalloutCaller;
    for good in ["", "+8613800138000", "95566", "010"] {
        assert_eq!(id.violation(good), None, "{good}");
    }
    for bad in ["abc", "+86 138", "12", "1-800-123", "+"] {
        assert_eq!(
            id.violation(bad),
            Some(Violation::InvalidPhoneNumber),
            "{bad}"
        );
    }
}

#[test]
fn enumerated_parameters_take_only_their_codes() {
    let cases = [
        (
            ParameterId::AnswerMode,
            &["automatic", "manual", "tenant"][..],
        ),
        (ParameterId::IntegrateOpeneye, &["no", "yes", "tenant"][..]),
        (ParameterId::RingWhenMaximized, &["yes", "no"][..]),
        (ParameterId::WebrtcAutoRegister, &["yes", "no"][..]),
        (
            ParameterId::SkillQueueSigninMode,
            &["automatic", "specified"][..],
        ),
    ];
    for (id, codes) in cases {
        assert_eq!(id.kind(), ParameterKind::Choice(codes));
        for code in codes {
            assert_eq!(id.violation(code), None, "{id} {code}");
        }
        for bad in ["", "Yes", "maybe", "tenant "] {
            if codes.contains(&bad) {
                continue;
            }
            assert_eq!(
                id.violation(bad),
                Some(Violation::NotAnOption {
                    options: codes.iter().map(|c| c.to_string()).collect()
                }),
                "{id} {bad:?}"
            );
        }
    }
    // Only PAR-2 and PAR-3 have "Consistent with tenant".
    assert!(ParameterId::RingWhenMaximized.violation("tenant").is_some());
}

#[test]
fn par4_the_spec_example_parses() {
    let display: VideoDisplay = "0,0,800,380,PiP,Fit".parse().unwrap();
    assert_eq!(
        display,
        VideoDisplay {
            x: 0,
            y: 0,
            width: 800,
            height: 380,
            layout: VideoLayout::PiP,
            mode: VideoMode::Fit,
        }
    );
    assert_eq!(display.to_string(), "0,0,800,380,PiP,Fit");
    assert_eq!(ParameterId::OpeneyeVideoDisplay.violation(""), None);
}

#[test]
fn par4_spaces_and_case_are_forgiven_and_stored_canonically() {
    let id = ParameterId::OpeneyeVideoDisplay;
    assert_eq!(id.violation(" 10, 20 ,640,360, sbs ,CUT"), None);
    assert_eq!(
        id.canonical(" 10, 20 ,640,360, sbs ,CUT"),
        "10,20,640,360,SbS,Cut"
    );
    // Other parameters are stored as given.
    assert_eq!(ParameterId::CalloutCaller.canonical("+86100"), "+86100");
}

#[test]
fn par4_malformed_values_name_what_is_wrong() {
    let parse = |s: &str| s.parse::<VideoDisplay>();
    assert_eq!(
        parse("0,0,800,380,PiP"),
        Err(Violation::VideoPartCount { found: 5 })
    );
    assert_eq!(
        parse("0,0,800,380,PiP,Fit,1"),
        Err(Violation::VideoPartCount { found: 7 })
    );
    assert_eq!(parse("-1,0,800,380,PiP,Fit"), part_error(VideoPart::X));
    assert_eq!(parse("0,y,800,380,PiP,Fit"), part_error(VideoPart::Y));
    assert_eq!(parse("0,0,0,380,PiP,Fit"), part_error(VideoPart::Width));
    assert_eq!(parse("0,0,800,,PiP,Fit"), part_error(VideoPart::Height));
    assert_eq!(parse("0,0,+800,380,PiP,Fit"), part_error(VideoPart::Width));
    assert_eq!(
        parse("0,0,800,10001,PiP,Fit"),
        part_error(VideoPart::Height)
    );
    assert_eq!(parse("0,0,800,380,Grid,Fit"), part_error(VideoPart::Layout));
    assert_eq!(parse("0,0,800,380,PiP,Fill"), part_error(VideoPart::Mode));
    // x and y may be 0, width and height may not; both stop at the maximum.
    assert!(parse("10000,10000,10000,10000,SbS,Cut").is_ok());
}

#[test]
fn a_save_is_refused_at_its_value_field() {
    let save = SaveParameter {
        version: 1,
        value: "0,0,800".into(),
    };
    let errors = save.validate(ParameterId::OpeneyeVideoDisplay).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "value");
    assert_eq!(errors[0].violation, Violation::VideoPartCount { found: 3 });
}

#[test]
fn a_batch_names_at_least_one_parameter_and_each_counts_once() {
    let empty = ParameterBatch {
        version: 0,
        ids: vec![],
    };
    let errors = empty.validate().unwrap_err();
    assert_eq!(errors[0].field, "ids");
    assert_eq!(errors[0].violation, Violation::Required);
    let batch = ParameterBatch {
        version: 0,
        ids: vec![
            ParameterId::SkillQueueSigninMode,
            ParameterId::CalloutCaller,
            ParameterId::SkillQueueSigninMode,
        ],
    };
    assert_eq!(batch.validate(), Ok(()));
    assert_eq!(
        batch.distinct_ids(),
        [
            ParameterId::CalloutCaller,
            ParameterId::SkillQueueSigninMode
        ]
    );
}

#[test]
fn a_parameter_missing_from_the_cache_is_read_as_its_default() {
    let id = ParameterId::WebrtcAutoRegister;
    assert!(is_synced(id, "yes", None));
    assert!(!is_synced(id, "no", None));
    assert!(is_synced(id, "no", Some("no")));
    assert!(!is_synced(id, "yes", Some("no")));
}

fn video_display() -> impl Strategy<Value = VideoDisplay> {
    (
        0..=VIDEO_PIXELS_MAX,
        0..=VIDEO_PIXELS_MAX,
        1..=VIDEO_PIXELS_MAX,
        1..=VIDEO_PIXELS_MAX,
        prop_oneof![Just(VideoLayout::PiP), Just(VideoLayout::SbS)],
        prop_oneof![Just(VideoMode::Fit), Just(VideoMode::Cut)],
    )
        .prop_map(|(x, y, width, height, layout, mode)| VideoDisplay {
            x,
            y,
            width,
            height,
            layout,
            mode,
        })
}

proptest! {
    /// Any value the parser accepts, printed again, parses to the same value.
    #[test]
    fn par4_accepted_values_print_and_parse_back_the_same(text in "[0-9, a-zA-Z+-]{0,40}") {
        if let Ok(display) = text.parse::<VideoDisplay>() {
            prop_assert_eq!(display.to_string().parse::<VideoDisplay>(), Ok(display));
        }
    }

    #[test]
    fn par4_every_display_prints_to_a_value_that_parses_back(display in video_display()) {
        let printed = display.to_string();
        prop_assert_eq!(printed.parse::<VideoDisplay>(), Ok(display));
        prop_assert_eq!(ParameterId::OpeneyeVideoDisplay.canonical(&printed), printed);
    }

    /// Changing one part to something invalid is reported at that part.
    #[test]
    fn par4_a_broken_part_is_named(display in video_display(), index in 0usize..6, junk in "[a-z]{1,4}") {
        let mut parts: Vec<String> = display.to_string().split(',').map(str::to_owned).collect();
        // Letters are never a number, and no layout or mode is made of them alone but these.
        prop_assume!(!["pip", "sbs", "fit", "cut"].contains(&junk.as_str()));
        parts[index] = junk;
        let expected = [VideoPart::X, VideoPart::Y, VideoPart::Width, VideoPart::Height, VideoPart::Layout, VideoPart::Mode][index];
        prop_assert_eq!(parts.join(",").parse::<VideoDisplay>(), part_error(expected));
    }

    /// Whatever is typed, the check answers and never panics; a valid value has no violation.
    #[test]
    fn every_parameter_judges_any_text(text in "\\PC{0,30}") {
        for id in ParameterId::ALL {
            let verdict = id.violation(&text);
            if verdict.is_none() {
                prop_assert_eq!(id.violation(&id.canonical(&text)), None);
            }
        }
    }
}
