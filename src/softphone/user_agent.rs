//! The registration's life as plain Rust (RTC-1): what to do when the WebSocket opens or drops,
//! a message or a timer arrives, or the agent asks to register or unregister. The browser side
//! (`connection`) only carries out the actions, so every rule here is tested without a browser.
//! Over 400 lines because more than half of it is those tests, kept beside the rules they pin.

use pc_model::SoftphoneAccount;
use pc_sip::{Account, Credentials, Event, Random, Registration, Transport};

use super::state::{PhoneFailure, PhoneState};

/// The expiry asked of the registrar; it refreshes well before.
pub const REQUESTED_EXPIRES_SECS: u32 = 600;
/// RFC 3261 Timer F over a reliable transport: a request without an answer by then is lost.
pub const RESPONSE_TIMEOUT_MS: u64 = 32_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    Refresh,
    Reconnect,
    Response,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Open the WebSocket to the registration server.
    Connect,
    Send(String),
    Close,
    Schedule(Timer, u64),
    Cancel(Timer),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input<'a> {
    /// Register (automatically after sign-in, or the Register button).
    Register,
    /// Unregister, or the agent signs out or closes the page.
    Unregister,
    Opened,
    Closed,
    Message(&'a str),
    TimerFired(Timer),
}

pub struct UserAgent {
    registration: Registration,
    server: String,
    want_registered: bool,
    connected: bool,
    /// Reconnections since the last successful registration.
    attempt: u32,
    state: PhoneState,
}

/// The registration server as the agent knows it: the host (and port) of its WebSocket address.
pub fn server_name(websocket_url: &str) -> &str {
    let rest = websocket_url
        .split_once("://")
        .map_or(websocket_url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

impl UserAgent {
    pub fn new(account: &SoftphoneAccount, rng: &mut impl Random) -> Result<Self, PhoneFailure> {
        let transport = if account.websocket_url.starts_with("wss://") {
            Transport::Wss
        } else if account.websocket_url.starts_with("ws://") {
            Transport::Ws
        } else {
            return Err(PhoneFailure::BadServerAddress);
        };
        let credentials = account
            .credentials
            .as_ref()
            .ok_or(PhoneFailure::NoPassword)?;
        let sip_account = Account {
            user: account.user.clone(),
            domain: account.domain.clone(),
            display_name: Some(account.display_name.clone()).filter(|name| !name.is_empty()),
            credentials: Credentials::Ha1 {
                realm: credentials.realm.clone(),
                ha1: credentials.ha1.clone(),
            },
        };
        Ok(UserAgent {
            registration: Registration::new(sip_account, transport, REQUESTED_EXPIRES_SECS, rng),
            server: server_name(&account.websocket_url).to_owned(),
            want_registered: false,
            connected: false,
            attempt: 0,
            state: PhoneState::Idle,
        })
    }

    pub fn state(&self) -> &PhoneState {
        &self.state
    }

    /// `jitter` in [0, 1) spreads reconnections of many agents after an outage.
    pub fn handle(
        &mut self,
        input: Input,
        now_ms: u64,
        jitter: f64,
        rng: &mut impl Random,
    ) -> Vec<Action> {
        match input {
            Input::Register => {
                self.want_registered = true;
                if self.connected {
                    self.send_register(rng)
                } else {
                    self.state = PhoneState::Connecting;
                    vec![
                        Action::Cancel(Timer::Reconnect),
                        Action::Connect,
                        Action::Schedule(Timer::Response, RESPONSE_TIMEOUT_MS),
                    ]
                }
            }
            Input::Unregister => self.unregister(rng),
            Input::Opened => {
                self.connected = true;
                if self.want_registered {
                    self.send_register(rng)
                } else {
                    vec![self.close()]
                }
            }
            Input::Closed => self.lost(now_ms, jitter),
            Input::Message(text) => self.on_message(text, now_ms, rng),
            Input::TimerFired(Timer::Refresh) if self.want_registered && self.connected => {
                // The state stays Registered while the refresh is on its way.
                vec![
                    Action::Send(self.registration.register(rng)),
                    Action::Schedule(Timer::Response, RESPONSE_TIMEOUT_MS),
                ]
            }
            Input::TimerFired(Timer::Reconnect) if self.want_registered => {
                self.state = PhoneState::Connecting;
                // A WebSocket that neither opens nor fails is given up like a lost request.
                vec![
                    Action::Connect,
                    Action::Schedule(Timer::Response, RESPONSE_TIMEOUT_MS),
                ]
            }
            Input::TimerFired(Timer::Response) if self.state == PhoneState::Unregistering => {
                // No answer to the unregistration: closing the WebSocket ends it at the registrar.
                self.state = PhoneState::Unregistered;
                vec![self.close()]
            }
            Input::TimerFired(Timer::Response) => {
                let mut actions = vec![self.close()];
                actions.extend(self.lost(now_ms, jitter));
                actions
            }
            Input::TimerFired(_) => Vec::new(),
        }
    }

    fn send_register(&mut self, rng: &mut impl Random) -> Vec<Action> {
        if !matches!(self.state, PhoneState::Registered { .. }) {
            self.state = PhoneState::Registering;
        }
        vec![
            Action::Send(self.registration.register(rng)),
            Action::Schedule(Timer::Response, RESPONSE_TIMEOUT_MS),
        ]
    }

    fn unregister(&mut self, rng: &mut impl Random) -> Vec<Action> {
        self.want_registered = false;
        let mut actions = vec![
            Action::Cancel(Timer::Refresh),
            Action::Cancel(Timer::Reconnect),
        ];
        let bound = matches!(
            self.state,
            PhoneState::Registered { .. } | PhoneState::Registering
        );
        if self.connected && bound {
            self.state = PhoneState::Unregistering;
            actions.push(Action::Send(self.registration.unregister(rng)));
            actions.push(Action::Schedule(Timer::Response, RESPONSE_TIMEOUT_MS));
        } else {
            if !matches!(self.state, PhoneState::Failed(_)) {
                self.state = PhoneState::Unregistered;
            }
            actions.push(Action::Cancel(Timer::Response));
            actions.push(self.close());
        }
        actions
    }

    /// Closing on purpose: no event follows, the WebSocket is simply gone.
    fn close(&mut self) -> Action {
        self.connected = false;
        Action::Close
    }

    fn lost(&mut self, now_ms: u64, jitter: f64) -> Vec<Action> {
        self.connected = false;
        let mut actions = vec![
            Action::Cancel(Timer::Refresh),
            Action::Cancel(Timer::Response),
        ];
        if self.want_registered {
            let delay = pc_sip::reconnect_delay_ms(self.attempt, jitter);
            self.attempt = self.attempt.saturating_add(1);
            self.state = PhoneState::Reconnecting {
                attempt: self.attempt,
                retry_at_ms: now_ms + delay,
            };
            actions.push(Action::Schedule(Timer::Reconnect, delay));
        } else if self.state == PhoneState::Unregistering {
            self.state = PhoneState::Unregistered;
        }
        actions
    }

    fn on_message(&mut self, text: &str, now_ms: u64, rng: &mut impl Random) -> Vec<Action> {
        match self.registration.on_message(text, now_ms, rng) {
            Event::Send(request) => vec![
                Action::Send(request),
                Action::Schedule(Timer::Response, RESPONSE_TIMEOUT_MS),
            ],
            Event::Registered {
                expires_secs: _,
                refresh_at_ms,
            } => {
                self.attempt = 0;
                self.state = PhoneState::Registered {
                    server: self.server.clone(),
                    refresh_at_ms,
                };
                vec![
                    Action::Cancel(Timer::Response),
                    Action::Schedule(Timer::Refresh, refresh_at_ms.saturating_sub(now_ms)),
                ]
            }
            Event::Unregistered => {
                self.state = PhoneState::Unregistered;
                vec![Action::Cancel(Timer::Response), self.close()]
            }
            Event::Failed(failure) => {
                // Trying again would only be refused again: the agent must act first.
                self.want_registered = false;
                self.state = PhoneState::Failed(PhoneFailure::Registrar(failure));
                vec![
                    Action::Cancel(Timer::Response),
                    Action::Cancel(Timer::Refresh),
                    self.close(),
                ]
            }
            Event::Ignored => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use pc_model::DigestCredentials;
    use pc_sip::Failure;

    use super::*;

    const NOW: u64 = 1_000_000;
    const JITTER: f64 = 0.5;

    struct Counter(u64);

    impl Random for Counter {
        fn next_u64(&mut self) -> u64 {
            self.0 += 1;
            self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        }
    }

    fn account() -> SoftphoneAccount {
        SoftphoneAccount {
            websocket_url: "wss://sip.fabrikam.example:7443/ws".into(),
            domain: "fabrikam.example".into(),
            user: "90003001".into(),
            display_name: "David Zhao".into(),
            credentials: Some(DigestCredentials {
                realm: "fabrikam.example".into(),
                ha1: pc_sip::digest::ha1("90003001", "fabrikam.example", "Softphone@3001"),
            }),
            auto_register: true,
        }
    }

    struct Test {
        agent: UserAgent,
        rng: Counter,
        now: u64,
    }

    impl Test {
        fn new() -> Self {
            let mut rng = Counter(0);
            Test {
                agent: UserAgent::new(&account(), &mut rng).unwrap(),
                rng,
                now: NOW,
            }
        }

        fn input(&mut self, input: Input) -> Vec<Action> {
            self.agent.handle(input, self.now, JITTER, &mut self.rng)
        }

        fn state(&self) -> PhoneState {
            self.agent.state().clone()
        }
    }

    fn sent(actions: &[Action]) -> String {
        actions
            .iter()
            .find_map(|action| match action {
                Action::Send(text) => Some(text.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("nothing sent in {actions:?}"))
    }

    /// The registrar's answer to `request`, as Kamailio words it.
    fn reply(request: &str, status: &str, extra: &str) -> String {
        let copied: String = request
            .lines()
            .filter(|line| {
                ["Via:", "From:", "To:", "Call-ID:", "CSeq:"]
                    .iter()
                    .any(|name| line.starts_with(name))
            })
            .map(|line| format!("{line}\r\n"))
            .collect();
        format!("SIP/2.0 {status}\r\n{copied}{extra}Content-Length: 0\r\n\r\n")
    }

    fn contact_of(request: &str) -> String {
        let line = request
            .lines()
            .find(|line| line.starts_with("Contact:"))
            .unwrap();
        let start = line.find('<').unwrap();
        let end = line.find('>').unwrap();
        line[start..=end].to_owned()
    }

    const CHALLENGE: &str =
        "WWW-Authenticate: Digest realm=\"fabrikam.example\", nonce=\"abc123\", qop=\"auth\"\r\n";

    /// Register through the challenge, as with Kamailio: 401, then 200 for 600 s.
    fn registered() -> Test {
        let mut test = Test::new();
        assert_eq!(
            test.input(Input::Register),
            vec![
                Action::Cancel(Timer::Reconnect),
                Action::Connect,
                Action::Schedule(Timer::Response, RESPONSE_TIMEOUT_MS),
            ]
        );
        assert_eq!(test.state(), PhoneState::Connecting);
        let first = sent(&test.input(Input::Opened));
        assert!(first.starts_with("REGISTER sip:fabrikam.example SIP/2.0\r\n"));
        assert!(first.contains("SIP/2.0/WSS "), "{first}");
        assert_eq!(test.state(), PhoneState::Registering);
        let answered = test.input(Input::Message(&reply(
            &first,
            "401 Unauthorized",
            CHALLENGE,
        )));
        let second = sent(&answered);
        assert!(second.contains("Authorization: Digest username=\"90003001\""));
        assert!(answered.contains(&Action::Schedule(Timer::Response, RESPONSE_TIMEOUT_MS)));
        let contact = format!("Contact: {};expires=600\r\n", contact_of(&second));
        let actions = test.input(Input::Message(&reply(&second, "200 OK", &contact)));
        assert_eq!(
            actions,
            vec![
                Action::Cancel(Timer::Response),
                Action::Schedule(Timer::Refresh, pc_sip::refresh_delay_ms(600)),
            ]
        );
        test
    }

    #[test]
    fn registers_through_the_challenge_and_shows_the_server_and_the_refresh_time() {
        let test = registered();
        assert_eq!(
            test.state(),
            PhoneState::Registered {
                server: "sip.fabrikam.example:7443".into(),
                refresh_at_ms: NOW + pc_sip::refresh_delay_ms(600),
            }
        );
        assert!(pc_sip::refresh_delay_ms(600) < 600_000);
    }

    #[test]
    fn the_refresh_goes_out_before_expiry_and_keeps_the_state_registered() {
        let mut test = registered();
        test.now += pc_sip::refresh_delay_ms(600);
        let actions = test.input(Input::TimerFired(Timer::Refresh));
        let refresh = sent(&actions);
        assert!(refresh.contains("CSeq: 3 REGISTER"), "{refresh}");
        assert!(refresh.contains("Authorization: Digest"), "{refresh}");
        assert!(test.state().is_registered());
        let contact = format!("Contact: {};expires=600\r\n", contact_of(&refresh));
        test.input(Input::Message(&reply(&refresh, "200 OK", &contact)));
        assert_eq!(
            test.state(),
            PhoneState::Registered {
                server: "sip.fabrikam.example:7443".into(),
                refresh_at_ms: test.now + pc_sip::refresh_delay_ms(600),
            }
        );
    }

    #[test]
    fn a_dropped_websocket_reconnects_with_growing_backoff_and_registers_again() {
        let mut test = registered();
        let first = test.input(Input::Closed);
        let first_delay = pc_sip::reconnect_delay_ms(0, JITTER);
        assert!(first.contains(&Action::Cancel(Timer::Refresh)));
        assert!(first.contains(&Action::Schedule(Timer::Reconnect, first_delay)));
        assert_eq!(
            test.state(),
            PhoneState::Reconnecting {
                attempt: 1,
                retry_at_ms: NOW + first_delay
            }
        );
        assert_eq!(
            test.input(Input::TimerFired(Timer::Reconnect)),
            vec![
                Action::Connect,
                Action::Schedule(Timer::Response, RESPONSE_TIMEOUT_MS),
            ]
        );
        let second = test.input(Input::Closed);
        let second_delay = pc_sip::reconnect_delay_ms(1, JITTER);
        assert!(second_delay > first_delay);
        assert!(second.contains(&Action::Schedule(Timer::Reconnect, second_delay)));
        test.input(Input::TimerFired(Timer::Reconnect));
        let again = sent(&test.input(Input::Opened));
        assert!(again.starts_with("REGISTER "));
        assert_eq!(test.state(), PhoneState::Registering);
    }

    #[test]
    fn unregister_sends_expires_zero_and_closes_once_the_registrar_agrees() {
        let mut test = registered();
        let actions = test.input(Input::Unregister);
        assert!(actions.contains(&Action::Cancel(Timer::Refresh)));
        let request = sent(&actions);
        assert!(request.contains("Expires: 0\r\n"), "{request}");
        assert_eq!(test.state(), PhoneState::Unregistering);
        let actions = test.input(Input::Message(&reply(&request, "200 OK", "")));
        assert!(actions.contains(&Action::Close));
        assert_eq!(test.state(), PhoneState::Unregistered);
        // Closed on purpose: no reconnection follows.
        assert!(!test
            .input(Input::Closed)
            .iter()
            .any(|action| matches!(action, Action::Schedule(Timer::Reconnect, _))));
        assert!(test.state().can_register());
    }

    #[test]
    fn a_wrong_password_fails_with_the_registrars_reason_and_is_not_retried() {
        let mut test = Test::new();
        test.input(Input::Register);
        let first = sent(&test.input(Input::Opened));
        let second = sent(&test.input(Input::Message(&reply(
            &first,
            "401 Unauthorized",
            CHALLENGE,
        ))));
        let actions = test.input(Input::Message(&reply(&second, "403 Forbidden", "")));
        assert!(actions.contains(&Action::Close));
        assert_eq!(
            test.state(),
            PhoneState::Failed(PhoneFailure::Registrar(Failure::WrongCredentials {
                code: 403,
                reason: "Forbidden".into()
            }))
        );
        assert!(test
            .input(Input::Closed)
            .iter()
            .all(|action| !matches!(action, Action::Schedule(..))));
        assert!(test.state().can_register());
        assert!(!test.state().can_unregister());
    }

    #[test]
    fn no_answer_within_timer_f_counts_as_a_lost_connection() {
        let mut test = Test::new();
        test.input(Input::Register);
        test.input(Input::Opened);
        let actions = test.input(Input::TimerFired(Timer::Response));
        assert_eq!(actions[0], Action::Close);
        assert!(matches!(
            test.state(),
            PhoneState::Reconnecting { attempt: 1, .. }
        ));
    }

    #[test]
    fn a_websocket_that_never_opens_is_given_up_and_tried_again() {
        let mut test = Test::new();
        test.input(Input::Register);
        test.now += RESPONSE_TIMEOUT_MS;
        let actions = test.input(Input::TimerFired(Timer::Response));
        assert_eq!(actions[0], Action::Close);
        assert!(actions
            .iter()
            .any(|action| matches!(action, Action::Schedule(Timer::Reconnect, _))));
        assert!(matches!(
            test.state(),
            PhoneState::Reconnecting { attempt: 1, .. }
        ));
    }

    #[test]
    fn unregistering_while_reconnecting_stops_trying() {
        let mut test = registered();
        test.input(Input::Closed);
        let actions = test.input(Input::Unregister);
        assert!(actions.contains(&Action::Cancel(Timer::Reconnect)));
        assert_eq!(test.state(), PhoneState::Unregistered);
        assert!(test.input(Input::TimerFired(Timer::Reconnect)).is_empty());
    }

    #[test]
    fn without_a_password_or_a_websocket_address_there_is_nothing_to_register() {
        let mut rng = Counter(0);
        let no_password = SoftphoneAccount {
            credentials: None,
            ..account()
        };
        assert_eq!(
            UserAgent::new(&no_password, &mut rng).err(),
            Some(PhoneFailure::NoPassword)
        );
        let not_websocket = SoftphoneAccount {
            websocket_url: "sip.fabrikam.example:5060".into(),
            ..account()
        };
        assert_eq!(
            UserAgent::new(&not_websocket, &mut rng).err(),
            Some(PhoneFailure::BadServerAddress)
        );
    }

    #[test]
    fn the_server_is_named_by_host_and_port() {
        assert_eq!(
            server_name("wss://sip.example:7443/ws?x=1"),
            "sip.example:7443"
        );
        assert_eq!(server_name("ws://127.0.0.1:5066"), "127.0.0.1:5066");
        assert_eq!(server_name("sip.example"), "sip.example");
    }
}
