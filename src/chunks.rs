//! OPS-7: what the first screen does not show is in wasm chunks of its own, each loaded the
//! first time it is needed and, once the first screen is painted and the browser is idle, in
//! the background (so a tab switch does not wait on the network). A split point is declared
//! once with [`split_point!`]; a chunk that cannot be loaded is a [`ChunkUnavailable`], shown
//! as [`crate::components::chunk_unavailable::ChunkUnavailableNotice`].
//!
//! In a split build (feature `split`, as Trunk builds the app) the body of a split point goes
//! into the chunk named after it; otherwise, as in the component tests, it is an ordinary async
//! function and every chunk is always there.

use std::future::Future;

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use crate::components::chunk_unavailable::ChunkUnavailableNotice;

/// A chunk could not be loaded: the network dropped, or the server now has another build.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChunkUnavailable;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkUnavailable
    }
}

/// `split_point!(fn name(args) -> Out { body } preloaded by preload_name)`: an async
/// `name(args) -> Result<Out, ChunkUnavailable>` whose body is in the chunk `split_name`, and
/// an async `preload_name()` that only loads that chunk. The body runs untracked: it is awaited
/// in a `Suspend`, which would otherwise rebuild a whole tab when a signal its setup reads
/// changes.
macro_rules! split_point {
    (
        $(#[$attr:meta])*
        $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty $body:block
        preloaded by $preload:ident
    ) => {
        $(#[$attr])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split(
            $name,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            preload($preload)
        )]
        $vis fn $name($($arg: $ty),*) -> Result<$out, $crate::chunks::ChunkUnavailable> {
            Ok(::leptos::prelude::untrack(|| $body))
        }

        $(#[$attr])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> Result<$out, $crate::chunks::ChunkUnavailable> {
            Ok(::leptos::prelude::untrack(|| $body))
        }

        #[cfg(not(feature = "split"))]
        $vis async fn $preload() -> Result<(), $crate::chunks::ChunkUnavailable> {
            Ok(())
        }
    };
}
pub(crate) use split_point;

/// A part of the page whose code is in a chunk: nothing until it is loaded, then the view
/// `load` gives, or the message with Reload if its chunk cannot be loaded.
pub fn chunk_view<Load, Loading>(load: Load) -> impl IntoView
where
    Load: Fn() -> Loading + Send + Sync + 'static,
    Loading: Future<Output = Result<AnyView, ChunkUnavailable>> + Send + 'static,
{
    view! {
        <Suspense>
            {move || {
                let loading = load();
                Suspend::new(async move {
                    loading
                        .await
                        .unwrap_or_else(|ChunkUnavailable| view! { <ChunkUnavailableNotice/> }.into_any())
                })
            }}
        </Suspense>
    }
}

/// Loads every chunk in the background once the browser is idle after the first screen (or a
/// second later where there is no `requestIdleCallback`, as in WebKit). A chunk that fails here
/// is tried again when it is needed.
pub fn prefetch_when_idle() {
    let prefetch = Closure::once_into_js(|| {
        leptos::task::spawn_local(async {
            let _ = crate::app::preload_personalized_settings().await;
            let _ = crate::app::preload_agent_parameters().await;
            let _ = crate::tabs::agent_info::health::preload_health_checks().await;
            let _ = crate::qr::preload_qr_encoder().await;
        })
    });
    let window = window();
    let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let _ = match idle {
        Some(request_idle_callback) => request_idle_callback.call1(&window, &prefetch).map(drop),
        None => window
            .set_timeout_with_callback_and_timeout_and_arguments_0(prefetch.unchecked_ref(), 1000)
            .map(drop),
    };
}
