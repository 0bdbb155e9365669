//! Carries out the user agent's actions in the browser: a `WebSocket` with the subprotocol `sip`
//! (RFC 7118), timers, and the browser's random numbers. The rules live in `user_agent`.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, WebSocket};

use super::state::PhoneState;
use super::user_agent::{Action, Input, Timer, UserAgent};

/// The browser's cryptographic random numbers, for Call-IDs, tags, branches and cnonces.
pub struct BrowserRandom;

impl pc_sip::Random for BrowserRandom {
    fn next_u64(&mut self) -> u64 {
        let mut bytes = [0u8; 8];
        let filled = web_sys::window()
            .and_then(|window| window.crypto().ok())
            .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).ok());
        if filled.is_none() {
            // Without Web Crypto the values need only be unique, not secret.
            for byte in &mut bytes {
                *byte = (js_sys::Math::random() * 256.0) as u8;
            }
        }
        u64::from_le_bytes(bytes)
    }
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// An open WebSocket and the handlers that must live as long as it does.
struct Socket {
    socket: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

impl Socket {
    fn detach(&self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
    }
}

struct Inner {
    agent: UserAgent,
    url: String,
    socket: Option<Socket>,
    /// Sockets done with, kept until the next connection: a handler must not be dropped while
    /// it runs.
    retired: Vec<Socket>,
    timers: Vec<(Timer, TimeoutHandle)>,
    on_state: Box<dyn Fn(PhoneState)>,
}

impl Drop for Inner {
    /// A connection nobody holds any more (signed out, or replaced by a new Register): its socket
    /// closes, which also ends the registration at the registrar.
    fn drop(&mut self) {
        if let Some(socket) = self.socket.take() {
            socket.detach();
            let _ = socket.socket.close();
        }
        for (_, handle) in self.timers.drain(..) {
            handle.clear();
        }
    }
}

/// One registration with the registration server, driven by the browser's events.
#[derive(Clone)]
pub struct Connection {
    inner: Rc<RefCell<Inner>>,
}

impl Connection {
    pub fn new(agent: UserAgent, url: String, on_state: impl Fn(PhoneState) + 'static) -> Self {
        Connection {
            inner: Rc::new(RefCell::new(Inner {
                agent,
                url,
                socket: None,
                retired: Vec::new(),
                timers: Vec::new(),
                on_state: Box::new(on_state),
            })),
        }
    }

    pub fn handle(&self, input: Input) {
        handle(&Rc::downgrade(&self.inner), input);
    }

    /// Unregisters without reporting back: the page or the signed-in view is going away, and
    /// what showed the state must not be woken while it is taken down.
    pub fn end(&self) {
        self.inner.borrow_mut().on_state = Box::new(|_| {});
        self.handle(Input::Unregister);
    }
}

fn handle(inner: &Weak<RefCell<Inner>>, input: Input) {
    let Some(strong) = inner.upgrade() else {
        return;
    };
    let mut this = strong.borrow_mut();
    let actions = this
        .agent
        .handle(input, now_ms(), js_sys::Math::random(), &mut BrowserRandom);
    for action in actions {
        match action {
            Action::Connect => {
                retire(&mut this);
                // Connecting follows a timer or the agent, never a socket's own handler.
                this.retired.clear();
                match open(inner, &this.url) {
                    Some(socket) => this.socket = Some(socket),
                    None => {
                        // An address the browser refuses at once counts as a dropped connection.
                        let weak = inner.clone();
                        schedule(&mut this, &weak, Timer::Reconnect, 0, Some(Input::Closed));
                    }
                }
            }
            Action::Send(text) => {
                if let Some(socket) = &this.socket {
                    let _ = socket.socket.send_with_str(&text);
                }
            }
            Action::Close => retire(&mut this),
            Action::Schedule(timer, delay_ms) => {
                let weak = inner.clone();
                schedule(&mut this, &weak, timer, delay_ms, None);
            }
            Action::Cancel(timer) => cancel(&mut this, timer),
        }
    }
    let state = this.agent.state().clone();
    (this.on_state)(state);
}

/// Closes the current socket on purpose: no event of it reaches the agent any more.
fn retire(this: &mut Inner) {
    if let Some(socket) = this.socket.take() {
        socket.detach();
        let _ = socket.socket.close();
        this.retired.push(socket);
    }
}

fn cancel(this: &mut Inner, timer: Timer) {
    this.timers.retain(|(kind, handle)| {
        let keep = *kind != timer;
        if !keep {
            handle.clear();
        }
        keep
    });
}

/// Arms `timer`; when it fires the agent gets `input`, or the timer itself.
fn schedule(
    this: &mut Inner,
    inner: &Weak<RefCell<Inner>>,
    timer: Timer,
    delay_ms: u64,
    input: Option<Input<'static>>,
) {
    cancel(this, timer);
    let weak = inner.clone();
    // Browser timers are 32-bit milliseconds; a registration never waits that long.
    let delay = Duration::from_millis(delay_ms.min(i32::MAX as u64));
    if let Ok(handle) = set_timeout_with_handle(
        move || {
            if let Some(strong) = weak.upgrade() {
                strong
                    .borrow_mut()
                    .timers
                    .retain(|(kind, _)| *kind != timer);
            }
            handle(&weak, input.unwrap_or(Input::TimerFired(timer)));
        },
        delay,
    ) {
        this.timers.push((timer, handle));
    }
}

fn open(inner: &Weak<RefCell<Inner>>, url: &str) -> Option<Socket> {
    let socket = WebSocket::new_with_str(url, "sip").ok()?;
    let weak = inner.clone();
    let on_open = Closure::<dyn FnMut()>::new(move || handle(&weak, Input::Opened));
    let weak = inner.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(text) = event.data().as_string() {
            handle(&weak, Input::Message(&text));
        }
    });
    let weak = inner.clone();
    let on_close = Closure::<dyn FnMut()>::new(move || {
        // This socket is gone; a new one may take its place.
        if let Some(strong) = weak.upgrade() {
            let mut this = strong.borrow_mut();
            if let Some(socket) = this.socket.take() {
                socket.detach();
                this.retired.push(socket);
            }
        }
        handle(&weak, Input::Closed);
    });
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    Some(Socket {
        socket,
        _on_open: on_open,
        _on_message: on_message,
        _on_close: on_close,
    })
}
