//! BEY-3 as plain Rust: what the media test's findings mean. Which kinds of ICE candidates the
//! browser found against the tenant's STUN and TURN servers, and what the loopback call's
//! statistics (`getStats()` entries) say about call quality. The browser I/O in `rtc.rs` feeds
//! these; the view in `mod.rs` shows their answers. Deciding changes nothing.

use pc_model::IceServers;
use serde::Deserialize;

use crate::tabs::agent_info::devices::state::meter_position;

/// The kinds of ICE candidates (RFC 8445 §5.1.1), as named by `typ` in a candidate line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CandidateKind {
    /// An address of this computer.
    Host,
    /// This computer's address as a STUN or TURN server sees it (after NAT).
    ServerReflexive,
    /// Learnt from a peer's connectivity checks; gathering never finds one.
    PeerReflexive,
    /// An address on a TURN server that relays the media.
    Relay,
}

impl CandidateKind {
    /// The kind of an SDP candidate line: `candidate:… typ srflx raddr …`.
    pub fn of_candidate_line(line: &str) -> Option<CandidateKind> {
        let mut words = line.split_ascii_whitespace();
        words.find(|word| *word == "typ")?;
        match words.next()? {
            "host" => Some(CandidateKind::Host),
            "srflx" => Some(CandidateKind::ServerReflexive),
            "prflx" => Some(CandidateKind::PeerReflexive),
            "relay" => Some(CandidateKind::Relay),
            _ => None,
        }
    }
}

/// Which kinds of candidates gathering found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub host: bool,
    pub server_reflexive: bool,
    pub relay: bool,
}

impl Found {
    /// The kinds among the candidate lines gathered.
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Found {
        lines
            .into_iter()
            .filter_map(CandidateKind::of_candidate_line)
            .fold(Found::default(), |found, kind| match kind {
                CandidateKind::Host => Found {
                    host: true,
                    ..found
                },
                CandidateKind::ServerReflexive => Found {
                    server_reflexive: true,
                    ..found
                },
                CandidateKind::Relay => Found {
                    relay: true,
                    ..found
                },
                CandidateKind::PeerReflexive => found,
            })
    }
}

/// What the tenant configured, as far as gathering is concerned. A TURN server also answers
/// STUN, so it can give server-reflexive candidates as well as relay ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Servers {
    None,
    StunOnly,
    Turn,
}

impl Servers {
    pub fn of(ice: &IceServers) -> Servers {
        if ice.has_turn() {
            Servers::Turn
        } else if ice.servers.is_empty() {
            Servers::None
        } else {
            Servers::StunOnly
        }
    }
}

/// How a finding reads: fine, worth knowing, or a problem for calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Good,
    Warning,
    Problem,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Good => "good",
            Severity::Warning => "warning",
            Severity::Problem => "problem",
        }
    }
}

/// What the candidates found mean for calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Relay candidates: calls can go through the TURN server from any network that reaches it.
    Relayed,
    /// Server-reflexive candidates and no TURN server: calls work where the network lets UDP
    /// through its NAT.
    Reflexive,
    /// No STUN or TURN server configured: host candidates only, so calls work only with peers
    /// this computer reaches directly.
    HostOnly,
    /// A TURN server is configured but gave no relay candidate: it refused the credentials, or
    /// this network does not reach it.
    NoRelay,
    /// A STUN server is configured but gave no server-reflexive candidate: it is unreachable, or
    /// this computer has a public address (then it is harmless).
    NoReflexive,
    /// No candidates at all: the browser or the network blocks WebRTC.
    NoCandidates,
}

impl Reach {
    pub fn decide(servers: Servers, found: Found) -> Reach {
        let any = found.host || found.server_reflexive || found.relay;
        match servers {
            _ if !any => Reach::NoCandidates,
            Servers::Turn if found.relay => Reach::Relayed,
            Servers::Turn => Reach::NoRelay,
            Servers::StunOnly if found.server_reflexive => Reach::Reflexive,
            Servers::StunOnly => Reach::NoReflexive,
            Servers::None => Reach::HostOnly,
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Reach::Relayed | Reach::Reflexive => Severity::Good,
            Reach::HostOnly | Reach::NoReflexive => Severity::Warning,
            Reach::NoRelay | Reach::NoCandidates => Severity::Problem,
        }
    }
}

/// Above this, a conversation feels delayed: ITU-T G.114's 150 ms one way, there and back.
pub const ROUND_TRIP_MAX_MS: f64 = 300.0;
/// Above this, the receiver's jitter buffer adds noticeable delay or drops audio.
pub const JITTER_MAX_MS: f64 = 30.0;
/// Above this, Opus's concealment no longer hides the gaps.
pub const LOSS_MAX_PERCENT: f64 = 1.0;

/// What the loopback call's statistics say.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallStats {
    /// The selected candidate pair's current round-trip time.
    pub round_trip_ms: Option<f64>,
    /// The received audio's interarrival jitter.
    pub jitter_ms: Option<f64>,
    pub packets_received: u64,
    pub packets_lost: u64,
    /// The RMS level of the audio that came back, 0 (silence) to 1 (full scale).
    pub level: f64,
    /// The received audio's codec, e.g. `audio/opus`.
    pub codec: Option<String>,
    /// Whether the sending side's selected candidate is a relay one (through the TURN server).
    pub relayed: bool,
}

/// One entry of a `getStats()` report: the members the verdict reads, with W3C `webrtc-stats`
/// names and units (seconds, counts). Members an entry does not have stay empty.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Stat {
    pub id: String,
    #[serde(rename = "type")]
    pub stat_type: String,
    /// `audio` or `video`, on RTP entries.
    pub kind: Option<String>,
    pub selected_candidate_pair_id: Option<String>,
    pub local_candidate_id: Option<String>,
    pub nominated: bool,
    pub state: Option<String>,
    pub current_round_trip_time: Option<f64>,
    pub candidate_type: Option<String>,
    pub jitter: Option<f64>,
    pub packets_received: Option<f64>,
    pub packets_lost: Option<f64>,
    pub total_audio_energy: Option<f64>,
    pub total_samples_duration: Option<f64>,
    pub codec_id: Option<String>,
    pub mime_type: Option<String>,
}

impl CallStats {
    /// The statistics of the sending and the receiving peer connection.
    pub fn from_reports(sender: &[Stat], receiver: &[Stat]) -> CallStats {
        let by_id = |report: &'_ [Stat], id: &str| -> Option<Stat> {
            report.iter().find(|s| s.id == id).cloned()
        };
        let pair = selected_pair(sender);
        let local_type = pair
            .as_ref()
            .and_then(|pair| pair.local_candidate_id.as_deref())
            .and_then(|id| by_id(sender, id))
            .and_then(|candidate| candidate.candidate_type);
        let inbound = receiver
            .iter()
            .find(|s| s.stat_type == "inbound-rtp" && s.kind.as_deref() == Some("audio"));
        let number = |read: fn(&Stat) -> Option<f64>| inbound.and_then(read);
        let energy = number(|s| s.total_audio_energy).unwrap_or(0.0);
        let duration = number(|s| s.total_samples_duration).unwrap_or(0.0);
        CallStats {
            round_trip_ms: pair
                .as_ref()
                .and_then(|pair| pair.current_round_trip_time)
                .map(|secs| secs * 1000.0),
            jitter_ms: number(|s| s.jitter).map(|secs| secs * 1000.0),
            packets_received: number(|s| s.packets_received).unwrap_or(0.0) as u64,
            // Duplicates can make the count negative; none were lost then.
            packets_lost: number(|s| s.packets_lost).unwrap_or(0.0).max(0.0) as u64,
            // totalAudioEnergy sums audioLevel² × duration, so this is the level's RMS.
            level: if duration > 0.0 {
                (energy / duration).sqrt()
            } else {
                0.0
            },
            codec: inbound
                .and_then(|s| s.codec_id.as_deref())
                .and_then(|id| by_id(receiver, id))
                .and_then(|codec| codec.mime_type),
            relayed: local_type.as_deref() == Some("relay"),
        }
    }

    /// Packets lost as a share of those sent, in percent.
    pub fn loss_percent(&self) -> f64 {
        let sent = self.packets_received + self.packets_lost;
        if sent == 0 {
            0.0
        } else {
            self.packets_lost as f64 * 100.0 / sent as f64
        }
    }

    /// Everything that would spoil a call, in the order the agent should look at it; none for
    /// a good one.
    pub fn issues(&self) -> Vec<CallIssue> {
        if self.packets_received == 0 {
            return vec![CallIssue::NoAudio];
        }
        let mut issues = Vec::new();
        // The same −60 dBFS floor as the microphone's level meter.
        if meter_position(self.level) == 0.0 {
            issues.push(CallIssue::Silent);
        }
        if self.round_trip_ms.is_some_and(|ms| ms > ROUND_TRIP_MAX_MS) {
            issues.push(CallIssue::SlowRoundTrip);
        }
        if self.jitter_ms.is_some_and(|ms| ms > JITTER_MAX_MS) {
            issues.push(CallIssue::Jitter);
        }
        if self.loss_percent() > LOSS_MAX_PERCENT {
            issues.push(CallIssue::PacketLoss);
        }
        if self
            .codec
            .as_deref()
            .is_some_and(|codec| !codec.eq_ignore_ascii_case("audio/opus"))
        {
            issues.push(CallIssue::NotOpus);
        }
        issues
    }
}

/// The candidate pair the sending side uses: its transport's selected one, else the nominated
/// pair that succeeded.
fn selected_pair(report: &[Stat]) -> Option<Stat> {
    let selected_id = report
        .iter()
        .find(|s| s.stat_type == "transport")
        .and_then(|transport| transport.selected_candidate_pair_id.as_deref());
    report
        .iter()
        .filter(|s| s.stat_type == "candidate-pair")
        .find(|pair| match selected_id {
            Some(id) => pair.id == id,
            None => pair.nominated && pair.state.as_deref() == Some("succeeded"),
        })
        .cloned()
}

/// What spoils a loopback call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallIssue {
    /// No audio packet arrived.
    NoAudio,
    /// Audio arrived but it was silence (below −60 dBFS): the microphone is muted or silent.
    Silent,
    SlowRoundTrip,
    Jitter,
    PacketLoss,
    /// The audio was not Opus, the codec the softphone calls with.
    NotOpus,
}

impl CallIssue {
    pub fn severity(self) -> Severity {
        match self {
            CallIssue::NoAudio | CallIssue::Silent => Severity::Problem,
            _ => Severity::Warning,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pc_model::IceServer;
    use serde_json::json;

    #[test]
    fn candidate_lines_name_their_kind() {
        for (line, kind) in [
            ("candidate:1 1 udp 2122260223 192.0.2.2 51000 typ host generation 0", Some(CandidateKind::Host)),
            ("candidate:2 1 udp 1686052607 203.0.113.9 40000 typ srflx raddr 192.0.2.2 rport 51000", Some(CandidateKind::ServerReflexive)),
            ("candidate:3 1 udp 41885439 127.0.0.1 49160 typ relay raddr 0.0.0.0 rport 0", Some(CandidateKind::Relay)),
            ("candidate:4 1 udp 1845501695 198.51.100.1 3 typ prflx", Some(CandidateKind::PeerReflexive)),
            ("candidate:5 1 udp 1 192.0.2.2 51000 typ", None),
            ("candidate:6 1 udp 1 192.0.2.2 51000 typ unknown", None),
            ("", None),
        ] {
            assert_eq!(CandidateKind::of_candidate_line(line), kind, "{line}");
        }
    }

    #[test]
    fn found_lists_each_kind_seen() {
        let found = Found::from_lines([
            "candidate:1 1 udp 1 192.0.2.2 51000 typ host",
            "candidate:3 1 udp 1 127.0.0.1 49160 typ relay raddr 0.0.0.0 rport 0",
            "candidate:4 1 udp 1 198.51.100.1 3 typ prflx",
        ]);
        assert_eq!(
            found,
            Found {
                host: true,
                server_reflexive: false,
                relay: true
            }
        );
        assert_eq!(Found::from_lines([]), Found::default());
    }

    fn ice(urls: &[&str]) -> IceServers {
        IceServers {
            servers: urls
                .iter()
                .map(|url| IceServer {
                    urls: vec![(*url).into()],
                    username: None,
                    credential: None,
                })
                .collect(),
            expires_at: None,
        }
    }

    #[test]
    fn the_servers_configured_are_none_stun_only_or_turn() {
        assert_eq!(Servers::of(&ice(&[])), Servers::None);
        assert_eq!(Servers::of(&ice(&["stun:a:3478"])), Servers::StunOnly);
        assert_eq!(
            Servers::of(&ice(&["stun:a:3478", "turn:a:3478"])),
            Servers::Turn
        );
        assert_eq!(Servers::of(&ice(&["turns:a:5349"])), Servers::Turn);
    }

    /// Every combination of servers configured and kinds found (host, server-reflexive,
    /// relay: bits 1, 2 and 4 of the index), with the verdict it must get.
    #[test]
    fn every_combination_of_servers_and_candidates_has_its_verdict() {
        use Reach::*;
        for (servers, expected) in [
            (
                Servers::None,
                [
                    NoCandidates,
                    HostOnly,
                    HostOnly,
                    HostOnly,
                    HostOnly,
                    HostOnly,
                    HostOnly,
                    HostOnly,
                ],
            ),
            (
                Servers::StunOnly,
                [
                    NoCandidates,
                    NoReflexive,
                    Reflexive,
                    Reflexive,
                    NoReflexive,
                    NoReflexive,
                    Reflexive,
                    Reflexive,
                ],
            ),
            (
                Servers::Turn,
                [
                    NoCandidates,
                    NoRelay,
                    NoRelay,
                    NoRelay,
                    Relayed,
                    Relayed,
                    Relayed,
                    Relayed,
                ],
            ),
        ] {
            for (bits, expected) in expected.into_iter().enumerate() {
                let found = Found {
                    host: bits & 1 != 0,
                    server_reflexive: bits & 2 != 0,
                    relay: bits & 4 != 0,
                };
                assert_eq!(
                    Reach::decide(servers, found),
                    expected,
                    "{servers:?} {found:?}"
                );
            }
        }
    }

    #[test]
    fn a_turn_server_without_relay_candidates_is_a_problem_and_host_only_a_warning() {
        let host_only = Found {
            host: true,
            ..Found::default()
        };
        assert_eq!(
            Reach::decide(Servers::Turn, host_only).severity(),
            Severity::Problem
        );
        assert_eq!(
            Reach::decide(Servers::None, host_only).severity(),
            Severity::Warning
        );
        assert_eq!(
            Reach::decide(Servers::StunOnly, host_only).severity(),
            Severity::Warning
        );
        assert_eq!(Reach::Relayed.severity(), Severity::Good);
        assert_eq!(Reach::Reflexive.severity(), Severity::Good);
        assert_eq!(Reach::NoCandidates.severity(), Severity::Problem);
    }

    /// What Chromium reports for a relayed loopback call carrying the fake microphone.
    fn reports(relay: bool) -> (Vec<Stat>, Vec<Stat>) {
        let stat = |json: serde_json::Value| serde_json::from_value::<Stat>(json).unwrap();
        let sender = vec![
            stat(json!({"id": "T01", "type": "transport", "selectedCandidatePairId": "CPa_b"})),
            stat(
                json!({"id": "CPx_y", "type": "candidate-pair", "localCandidateId": "Ix",
                   "currentRoundTripTime": 0.9, "nominated": false, "state": "failed"}),
            ),
            stat(
                json!({"id": "CPa_b", "type": "candidate-pair", "localCandidateId": "Ia",
                   "currentRoundTripTime": 0.004, "nominated": true, "state": "succeeded"}),
            ),
            stat(json!({"id": "Ia", "type": "local-candidate",
                   "candidateType": if relay { "relay" } else { "host" }})),
            stat(json!({"id": "Ix", "type": "local-candidate", "candidateType": "host"})),
        ];
        let receiver = vec![
            stat(
                json!({"id": "IT01A", "type": "inbound-rtp", "kind": "audio", "codecId": "CIT01_111",
                   "jitter": 0.002, "packetsReceived": 198, "packetsLost": 2,
                   "totalAudioEnergy": 0.25, "totalSamplesDuration": 4.0, "audioLevel": 0.0}),
            ),
            stat(json!({"id": "CIT01_111", "type": "codec", "mimeType": "audio/opus"})),
        ];
        (sender, receiver)
    }

    #[test]
    fn the_call_statistics_are_read_from_the_selected_pair_and_the_received_audio() {
        let (sender, receiver) = reports(true);
        let stats = CallStats::from_reports(&sender, &receiver);
        assert_eq!(stats.round_trip_ms, Some(4.0));
        assert_eq!(stats.jitter_ms, Some(2.0));
        assert_eq!((stats.packets_received, stats.packets_lost), (198, 2));
        assert!((stats.loss_percent() - 1.0).abs() < 1e-9);
        // √(0.25 / 4): the level over the whole call, though the last sample was silent.
        assert!((stats.level - 0.25).abs() < 1e-9);
        assert_eq!(stats.codec.as_deref(), Some("audio/opus"));
        assert!(stats.relayed);
        assert!(!CallStats::from_reports(&reports(false).0, &receiver).relayed);
        assert_eq!(stats.issues(), []);
    }

    #[test]
    fn without_a_selected_pair_the_nominated_successful_one_counts() {
        let (mut sender, receiver) = reports(true);
        sender.remove(0);
        let stats = CallStats::from_reports(&sender, &receiver);
        assert_eq!(stats.round_trip_ms, Some(4.0));
        assert!(stats.relayed);
    }

    #[test]
    fn no_statistics_mean_no_audio() {
        let stats = CallStats::from_reports(&[], &[]);
        assert_eq!(stats, CallStats::default());
        assert_eq!(stats.loss_percent(), 0.0);
        assert_eq!(stats.issues(), [CallIssue::NoAudio]);
        assert_eq!(CallIssue::NoAudio.severity(), Severity::Problem);
    }

    fn good() -> CallStats {
        CallStats {
            round_trip_ms: Some(ROUND_TRIP_MAX_MS),
            jitter_ms: Some(JITTER_MAX_MS),
            packets_received: 99,
            packets_lost: 1,
            level: 0.01,
            codec: Some("audio/opus".into()),
            relayed: true,
        }
    }

    #[test]
    fn each_threshold_is_the_last_good_value() {
        assert_eq!(good().issues(), []);
        let slow = CallStats {
            round_trip_ms: Some(ROUND_TRIP_MAX_MS + 1.0),
            ..good()
        };
        assert_eq!(slow.issues(), [CallIssue::SlowRoundTrip]);
        let jittery = CallStats {
            jitter_ms: Some(JITTER_MAX_MS + 0.5),
            ..good()
        };
        assert_eq!(jittery.issues(), [CallIssue::Jitter]);
        let lossy = CallStats {
            packets_lost: 2,
            packets_received: 98,
            ..good()
        };
        assert_eq!(lossy.issues(), [CallIssue::PacketLoss]);
        let pcmu = CallStats {
            codec: Some("audio/PCMU".into()),
            ..good()
        };
        assert_eq!(pcmu.issues(), [CallIssue::NotOpus]);
        assert_eq!(CallIssue::Jitter.severity(), Severity::Warning);
    }

    #[test]
    fn audio_below_minus_60_dbfs_is_silence() {
        let silent = CallStats {
            level: 0.0009,
            ..good()
        };
        assert_eq!(silent.issues(), [CallIssue::Silent]);
        assert_eq!(CallIssue::Silent.severity(), Severity::Problem);
        let everything = CallStats {
            round_trip_ms: Some(400.0),
            jitter_ms: Some(50.0),
            packets_lost: 50,
            level: 0.0,
            codec: Some("audio/G722".into()),
            ..good()
        };
        assert_eq!(
            everything.issues(),
            [
                CallIssue::Silent,
                CallIssue::SlowRoundTrip,
                CallIssue::Jitter,
                CallIssue::PacketLoss,
                CallIssue::NotOpus
            ]
        );
    }
}
