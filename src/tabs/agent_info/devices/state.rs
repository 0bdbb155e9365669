//! RTC-3 as plain Rust: which microphone or speaker is chosen among those the browser lists,
//! what went wrong in words the agent can act on, and how loud the microphone is. The browser
//! I/O in `media.rs` feeds these, and the view in `mod.rs` shows their answers.

/// A microphone or a speaker as `enumerateDevices()` lists it. Before the agent allows the
/// microphone, browsers hide the label (empty) and often the ID too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    pub label: String,
}

impl Device {
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> Device {
        Device {
            id: id.into(),
            label: label.into(),
        }
    }
}

/// How a device is shown in its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceName<'a> {
    /// The browser's label.
    Named(&'a str),
    /// No label yet: "Microphone 2" for the second microphone listed.
    Unnamed(usize),
}

/// The devices of one kind and the one chosen. The browser's default device (ID `default`,
/// else the first listed) stands in when nothing else is wanted or the wanted one is gone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeviceList {
    devices: Vec<Device>,
    chosen: Option<String>,
}

/// The ID browsers give the system's default device.
const DEFAULT_ID: &str = "default";

impl DeviceList {
    /// `devices` as listed, with `wanted` (e.g. the agent's remembered choice) chosen when it is
    /// among them.
    pub fn new(devices: Vec<Device>, wanted: Option<&str>) -> DeviceList {
        let chosen = wanted
            .filter(|id| devices.iter().any(|d| d.id == *id))
            .or_else(|| {
                devices
                    .iter()
                    .find(|d| d.id == DEFAULT_ID)
                    .or(devices.first())
                    .map(|d| d.id.as_str())
            })
            .map(str::to_owned);
        DeviceList { devices, chosen }
    }

    /// The devices as the browser lists them again: the `remembered` choice, else the one chosen
    /// so far, else the default, whichever is listed first.
    pub fn relisted(&self, devices: Vec<Device>, remembered: Option<&str>) -> DeviceList {
        let listed = |id: &&str| devices.iter().any(|d| d.id == *id);
        let wanted = remembered
            .filter(listed)
            .or_else(|| self.chosen_id().filter(listed))
            .map(str::to_owned);
        DeviceList::new(devices, wanted.as_deref())
    }

    /// Chooses the device `id`; false (and no change) when it is not listed.
    pub fn choose(&mut self, id: &str) -> bool {
        let listed = self.devices.iter().any(|d| d.id == id);
        if listed {
            self.chosen = Some(id.to_owned());
        }
        listed
    }

    /// The chosen device's ID; none only when the list is empty.
    pub fn chosen_id(&self) -> Option<&str> {
        self.chosen.as_deref()
    }

    pub fn is_empty(&self) -> bool {
        self.devices.is_empty()
    }

    /// Whether the browser gave the devices' names (it does once the microphone is allowed).
    pub fn has_names(&self) -> bool {
        self.devices.iter().any(|d| !d.label.is_empty())
    }

    /// Each device's ID, how it is shown and whether it is the chosen one, in the browser's order.
    pub fn options(&self) -> impl Iterator<Item = (&str, DeviceName<'_>, bool)> {
        self.devices.iter().enumerate().map(|(index, device)| {
            let name = if device.label.is_empty() {
                DeviceName::Unnamed(index + 1)
            } else {
                DeviceName::Named(&device.label)
            };
            let chosen = self.chosen.as_deref() == Some(device.id.as_str());
            (device.id.as_str(), name, chosen)
        })
    }
}

/// Why the microphone cannot be checked, each with its own advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceProblem {
    /// The agent or the browser's site settings refused the microphone.
    Blocked,
    /// No microphone is connected.
    NoMicrophone,
    /// Another application holds the microphone.
    Busy,
    /// `navigator.mediaDevices` is missing: the page is not in a secure context.
    InsecurePage,
    /// Anything else.
    Failed,
}

impl DeviceProblem {
    /// The problem behind a `getUserMedia` rejection, from its `DOMException` name.
    pub fn from_error_name(name: &str) -> DeviceProblem {
        match name {
            "NotAllowedError" | "SecurityError" | "PermissionDeniedError" => DeviceProblem::Blocked,
            "NotFoundError" | "DevicesNotFoundError" | "OverconstrainedError" => {
                DeviceProblem::NoMicrophone
            }
            "NotReadableError" | "TrackStartError" => DeviceProblem::Busy,
            _ => DeviceProblem::Failed,
        }
    }

    /// The problem to show once the browser has listed `microphones`: none connected, else the
    /// one `shown` so far, unless that was the missing microphone that has now appeared.
    pub fn after_listing(
        shown: Option<DeviceProblem>,
        microphones: &DeviceList,
    ) -> Option<DeviceProblem> {
        if microphones.is_empty() {
            Some(DeviceProblem::NoMicrophone)
        } else if shown == Some(DeviceProblem::NoMicrophone) {
            None
        } else {
            shown
        }
    }
}

/// Levels at or below this many dBFS show as an empty meter.
const SILENCE_DB: f64 = -60.0;
/// How much of the shown level is kept from one animation frame to the next, so that short
/// sounds stay visible (fast attack, slow release).
const RELEASE: f64 = 0.92;

/// The microphone level for the meter, 0 (silence) to 1 (full scale): the RMS of `samples`
/// (−1.0 to 1.0) on a decibel scale from −60 dBFS, falling slowly from `previous`.
pub fn meter_level(previous: f64, samples: &[f32]) -> f64 {
    let current = if samples.is_empty() {
        0.0
    } else {
        let power = samples
            .iter()
            .map(|&s| f64::from(s) * f64::from(s))
            .sum::<f64>()
            / samples.len() as f64;
        meter_position(power.sqrt())
    };
    current.max(previous * RELEASE)
}

/// Where an RMS level (0 to 1, 1 being full scale) shows on a meter from −60 dBFS (0) to
/// 0 dBFS (1).
pub fn meter_position(rms: f64) -> f64 {
    let db = 20.0 * rms.log10();
    ((db - SILENCE_DB) / -SILENCE_DB).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn microphones() -> Vec<Device> {
        vec![
            Device::new("default", "Default - Headset"),
            Device::new("a1", "Headset"),
            Device::new("b2", "Webcam"),
        ]
    }

    #[test]
    fn the_remembered_device_is_chosen_when_still_listed() {
        let list = DeviceList::new(microphones(), Some("b2"));
        assert_eq!(list.chosen_id(), Some("b2"));
    }

    #[test]
    fn a_remembered_device_that_is_gone_falls_back_to_the_default() {
        assert_eq!(
            DeviceList::new(microphones(), Some("unplugged")).chosen_id(),
            Some("default")
        );
        assert_eq!(
            DeviceList::new(microphones(), None).chosen_id(),
            Some("default")
        );
    }

    #[test]
    fn without_a_default_device_the_first_listed_is_chosen() {
        let devices = vec![Device::new("a1", "Headset"), Device::new("b2", "Webcam")];
        assert_eq!(
            DeviceList::new(devices, Some("gone")).chosen_id(),
            Some("a1")
        );
        let empty = DeviceList::new(Vec::new(), Some("a1"));
        assert_eq!(empty.chosen_id(), None);
        assert!(empty.is_empty());
    }

    #[test]
    fn only_a_listed_device_can_be_chosen() {
        let mut list = DeviceList::new(microphones(), None);
        assert!(list.choose("a1"));
        assert_eq!(list.chosen_id(), Some("a1"));
        assert!(!list.choose("unplugged"));
        assert_eq!(list.chosen_id(), Some("a1"));
    }

    #[test]
    fn listed_again_the_remembered_device_wins_then_the_one_chosen_so_far() {
        let mut list = DeviceList::new(microphones(), None);
        list.choose("a1");
        assert_eq!(
            list.relisted(microphones(), Some("b2")).chosen_id(),
            Some("b2")
        );
        assert_eq!(list.relisted(microphones(), None).chosen_id(), Some("a1"));
        assert_eq!(
            list.relisted(microphones(), Some("unplugged")).chosen_id(),
            Some("a1")
        );
        let without_a1 = vec![
            Device::new("default", "Default"),
            Device::new("b2", "Webcam"),
        ];
        assert_eq!(
            list.relisted(without_a1, Some("unplugged")).chosen_id(),
            Some("default")
        );
    }

    #[test]
    fn options_mark_the_chosen_device() {
        let list = DeviceList::new(microphones(), Some("a1"));
        let chosen: Vec<_> = list
            .options()
            .filter(|(_, _, chosen)| *chosen)
            .map(|(id, name, _)| (id, name))
            .collect();
        assert_eq!(chosen, [("a1", DeviceName::Named("Headset"))]);
        assert!(list.has_names());
    }

    #[test]
    fn devices_without_a_label_are_numbered_in_the_browsers_order() {
        let list = DeviceList::new(vec![Device::new("", ""), Device::new("x", "")], None);
        let names: Vec<_> = list.options().map(|(_, name, _)| name).collect();
        assert_eq!(names, [DeviceName::Unnamed(1), DeviceName::Unnamed(2)]);
        assert!(!list.has_names());
        // Before permission the one listed device has an empty ID; it is still the choice.
        assert_eq!(list.chosen_id(), Some(""));
    }

    #[test]
    fn error_names_map_to_the_advice_the_agent_needs() {
        for (name, problem) in [
            ("NotAllowedError", DeviceProblem::Blocked),
            ("SecurityError", DeviceProblem::Blocked),
            ("NotFoundError", DeviceProblem::NoMicrophone),
            ("OverconstrainedError", DeviceProblem::NoMicrophone),
            ("NotReadableError", DeviceProblem::Busy),
            ("AbortError", DeviceProblem::Failed),
            ("", DeviceProblem::Failed),
        ] {
            assert_eq!(DeviceProblem::from_error_name(name), problem, "{name}");
        }
    }

    #[test]
    fn a_missing_microphone_is_shown_until_one_is_listed_and_other_problems_stay() {
        let none = DeviceList::new(Vec::new(), None);
        let some = DeviceList::new(microphones(), None);
        assert_eq!(
            DeviceProblem::after_listing(None, &none),
            Some(DeviceProblem::NoMicrophone)
        );
        assert_eq!(
            DeviceProblem::after_listing(Some(DeviceProblem::Busy), &none),
            Some(DeviceProblem::NoMicrophone)
        );
        assert_eq!(
            DeviceProblem::after_listing(Some(DeviceProblem::NoMicrophone), &some),
            None
        );
        assert_eq!(
            DeviceProblem::after_listing(Some(DeviceProblem::Blocked), &some),
            Some(DeviceProblem::Blocked)
        );
        assert_eq!(DeviceProblem::after_listing(None, &some), None);
    }

    #[test]
    fn silence_is_an_empty_meter_and_full_scale_a_full_one() {
        assert_eq!(meter_level(0.0, &[0.0; 128]), 0.0);
        assert_eq!(meter_level(0.0, &[]), 0.0);
        let full_scale: Vec<f32> = (0..128)
            .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        assert!((meter_level(0.0, &full_scale) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn the_meter_is_on_a_decibel_scale() {
        // RMS 10^(-30/20): −30 dBFS, half-way up a meter that starts at −60 dBFS.
        let amplitude = 10f32.powf(-30.0 / 20.0);
        let level = meter_level(0.0, &[amplitude, -amplitude]);
        assert!((level - 0.5).abs() < 1e-3, "{level}");
    }

    #[test]
    fn a_short_sound_fades_from_the_meter_instead_of_vanishing() {
        let after_silence = meter_level(0.8, &[0.0; 64]);
        assert!(after_silence > 0.7 && after_silence < 0.8);
        assert_eq!(meter_level(0.1, &[1.0, -1.0]), 1.0);
    }
}
