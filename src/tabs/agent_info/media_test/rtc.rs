//! BEY-3 in the browser: gathering ICE candidates against the tenant's STUN and TURN servers,
//! and a loopback call inside the page: two `RTCPeerConnection`s, the sending one forced through
//! the TURN relay when one is configured, carrying the chosen microphone as Opus to the chosen
//! speaker, measured with `getStats()`. Both exchange complete descriptions (no trickle), so
//! the page needs no event handlers and leaves none behind. What the answers mean is decided in
//! `verdict`.

use js_sys::{Array, Date};
use pc_model::IceServers;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    HtmlAudioElement, MediaStream, MediaStreamTrack, RtcConfiguration, RtcIceGatheringState,
    RtcIceServer, RtcIceTransportPolicy, RtcPeerConnection, RtcPeerConnectionState, RtcRtpReceiver,
    RtcSessionDescriptionInit,
};

use super::verdict::{CallStats, Stat};
use crate::json;
use crate::tabs::agent_info::devices::media::{
    error_name, media_devices, open_microphone, remembered, set_sink_id, sleep_ms, stop_tracks,
    MICROPHONE_KEY, SPEAKER_KEY,
};
use crate::tabs::agent_info::devices::state::DeviceProblem;

/// How long gathering may take before the test reports what it found so far.
const GATHER_TIMEOUT_MS: f64 = 10_000.0;
/// How long the loopback call may take to connect.
const CONNECT_TIMEOUT_MS: f64 = 10_000.0;
/// How long the call carries audio before its statistics are read.
const LISTEN_MS: i32 = 3_000;
/// How often the state of a peer connection is looked at while waiting.
const POLL_MS: i32 = 20;

/// The candidates one peer connection gathered.
pub struct Gathered {
    /// The candidate lines (`candidate:… typ host …`).
    pub lines: Vec<String>,
    /// From asking to gather to the end of gathering (or the timeout).
    pub millis: f64,
    /// False when gathering was still going on at the timeout.
    pub complete: bool,
}

/// Whether the browser has WebRTC at all: some builds leave `RTCPeerConnection` out (Debian's
/// WebKitGTK among them) while still listing devices and speaking SIP over WebSocket.
pub fn available() -> bool {
    js_sys::Reflect::has(&web_sys::window().into(), &"RTCPeerConnection".into()).unwrap_or(false)
}

/// Gathers candidates against every server in `ice`, with no call.
pub async fn gather(ice: &IceServers) -> Result<Gathered, JsValue> {
    let connection = RtcPeerConnection::new_with_configuration(&configuration(ice, false))?;
    // A data channel gives the offer something to gather candidates for.
    let _channel = connection.create_data_channel("media-test");
    let gathered = offer_and_gather(&connection).await;
    connection.close();
    gathered
}

async fn offer_and_gather(connection: &RtcPeerConnection) -> Result<Gathered, JsValue> {
    let started = Date::now();
    let offer = JsFuture::from(connection.create_offer()).await?;
    JsFuture::from(connection.set_local_description(offer.unchecked_ref())).await?;
    let complete = wait_for(GATHER_TIMEOUT_MS, &|| {
        connection.ice_gathering_state() == RtcIceGatheringState::Complete
    })
    .await;
    Ok(Gathered {
        lines: candidate_lines(connection),
        millis: Date::now() - started,
        complete,
    })
}

/// Why the loopback call gave no statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallFailure {
    /// The microphone could not be opened.
    Microphone(DeviceProblem),
    /// The two peer connections did not connect (through the relay, when one is configured).
    NotConnected,
    /// The browser refused a step of the call.
    Failed,
}

/// What the loopback call is doing, for the agent to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallStage {
    Connecting,
    /// Connected: audio flows while the call is measured.
    Listening,
}

/// Calls from the chosen microphone to the chosen speaker through `ice` and measures the call.
/// `on_stage` hears each stage; the call ends early when `wanted` turns false (the section is
/// gone).
pub async fn loopback(
    ice: &IceServers,
    on_stage: impl Fn(CallStage),
    wanted: impl Fn() -> bool,
) -> Result<CallStats, CallFailure> {
    on_stage(CallStage::Connecting);
    let media = media_devices().ok_or(CallFailure::Microphone(DeviceProblem::InsecurePage))?;
    let microphone = remembered(MICROPHONE_KEY).unwrap_or_default();
    let stream = open_microphone(&media, &microphone)
        .await
        .map_err(|error| {
            CallFailure::Microphone(DeviceProblem::from_error_name(&error_name(&error)))
        })?;
    let call = Call::new(ice, stream).map_err(|_| CallFailure::Failed)?;
    call.connect(&wanted).await?;
    on_stage(CallStage::Listening);
    call.play(&remembered(SPEAKER_KEY).unwrap_or_default())
        .await;
    sleep_ms(LISTEN_MS).await;
    call.measure().await.map_err(|_| CallFailure::Failed)
}

/// The two ends of the loopback call; dropping it hangs up and frees the microphone.
struct Call {
    sender: RtcPeerConnection,
    receiver: RtcPeerConnection,
    microphone: MediaStream,
    speaker: HtmlAudioElement,
}

impl Call {
    fn new(ice: &IceServers, microphone: MediaStream) -> Result<Call, JsValue> {
        let call = Call {
            sender: RtcPeerConnection::new_with_configuration(&configuration(ice, ice.has_turn()))?,
            receiver: RtcPeerConnection::new_with_configuration(&configuration(ice, false))?,
            speaker: HtmlAudioElement::new()?,
            microphone,
        };
        let more_streams = Array::new();
        for track in call.microphone.get_tracks().iter() {
            call.sender.add_track(
                track.unchecked_ref::<MediaStreamTrack>(),
                &call.microphone,
                &more_streams,
            );
        }
        Ok(call)
    }

    /// Offer, answer (each with all its candidates), then waits until connected.
    async fn connect(&self, wanted: &impl Fn() -> bool) -> Result<(), CallFailure> {
        let exchanged = async {
            offer_and_gather(&self.sender).await?;
            JsFuture::from(
                self.receiver
                    .set_remote_description(&description(&self.sender)?),
            )
            .await?;
            let answer = JsFuture::from(self.receiver.create_answer()).await?;
            JsFuture::from(self.receiver.set_local_description(answer.unchecked_ref())).await?;
            wait_for(GATHER_TIMEOUT_MS, &|| {
                self.receiver.ice_gathering_state() == RtcIceGatheringState::Complete
            })
            .await;
            JsFuture::from(
                self.sender
                    .set_remote_description(&description(&self.receiver)?),
            )
            .await
        };
        exchanged.await.map_err(|_| CallFailure::Failed)?;
        let settled = || {
            !wanted()
                || matches!(
                    self.sender.connection_state(),
                    RtcPeerConnectionState::Connected | RtcPeerConnectionState::Failed
                )
        };
        wait_for(CONNECT_TIMEOUT_MS, &settled).await;
        if wanted() && self.sender.connection_state() == RtcPeerConnectionState::Connected {
            Ok(())
        } else {
            Err(CallFailure::NotConnected)
        }
    }

    /// Plays what the receiving end hears on `speaker_id` (the default one when empty or when
    /// the browser cannot choose). The browser may refuse to play without a recent click; the
    /// call is measured all the same.
    async fn play(&self, speaker_id: &str) {
        let tracks: Array = self
            .receiver
            .get_receivers()
            .iter()
            .map(|receiver| receiver.unchecked_into::<RtcRtpReceiver>().track())
            .collect();
        let Ok(heard) = MediaStream::new_with_tracks(&tracks) else {
            return;
        };
        self.speaker.set_src_object(Some(&heard));
        let _ = set_sink_id(&self.speaker, speaker_id).await;
        if let Ok(playing) = self.speaker.play() {
            let _ = JsFuture::from(playing).await;
        }
    }

    async fn measure(&self) -> Result<CallStats, JsValue> {
        let sender = stats(&self.sender).await?;
        let receiver = stats(&self.receiver).await?;
        Ok(CallStats::from_reports(&sender, &receiver))
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        self.sender.close();
        self.receiver.close();
        stop_tracks(&self.microphone);
        let _ = self.speaker.pause();
        self.speaker.set_src_object(None);
    }
}

/// The configuration with the tenant's servers; `relay_only` forces the media through TURN.
fn configuration(ice: &IceServers, relay_only: bool) -> RtcConfiguration {
    let servers: Array = ice
        .servers
        .iter()
        .map(|server| {
            let entry = RtcIceServer::new();
            let urls: Array = server
                .urls
                .iter()
                .map(|url| JsValue::from_str(url))
                .collect();
            entry.set_urls(&urls);
            if let Some(username) = &server.username {
                entry.set_username(username);
            }
            if let Some(credential) = &server.credential {
                entry.set_credential(credential);
            }
            JsValue::from(entry)
        })
        .collect();
    let configuration = RtcConfiguration::new();
    configuration.set_ice_servers(&servers);
    if relay_only {
        configuration.set_ice_transport_policy(RtcIceTransportPolicy::Relay);
    }
    configuration
}

/// The candidate lines of the connection's local description.
fn candidate_lines(connection: &RtcPeerConnection) -> Vec<String> {
    connection
        .local_description()
        .map(|description| {
            description
                .sdp()
                .lines()
                .filter_map(|line| line.strip_prefix("a="))
                .filter(|line| line.starts_with("candidate:"))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The connection's local description, with all candidates gathered so far, for the other end.
fn description(connection: &RtcPeerConnection) -> Result<RtcSessionDescriptionInit, JsValue> {
    let local = connection
        .local_description()
        .ok_or_else(|| JsValue::from_str("no local description"))?;
    let init = RtcSessionDescriptionInit::new(local.type_());
    init.set_sdp(&local.sdp());
    Ok(init)
}

/// Waits until `done` holds or `timeout_ms` pass; whether it held.
async fn wait_for(timeout_ms: f64, done: &dyn Fn() -> bool) -> bool {
    let deadline = Date::now() + timeout_ms;
    while !done() {
        if Date::now() > deadline {
            return false;
        }
        sleep_ms(POLL_MS).await;
    }
    true
}

/// Every entry of the connection's `getStats()` report that reads as a `Stat`.
async fn stats(connection: &RtcPeerConnection) -> Result<Vec<Stat>, JsValue> {
    let report = JsFuture::from(connection.get_stats()).await?;
    let entries = js_sys::try_iter(&report)?
        .ok_or_else(|| JsValue::from_str("the stats report is not iterable"))?;
    let mut stats = Vec::new();
    for entry in entries {
        // Each entry is [id, stats].
        let stat = entry?.unchecked_into::<Array>().get(1);
        if let Ok(stat) = json::from_value(stat) {
            stats.push(stat);
        }
    }
    Ok(stats)
}
