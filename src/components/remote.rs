//! Data loaded from the server: a loading state, the data, or an error with a retry. A lost
//! session sends the agent to sign in.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use leptos::prelude::*;

use super::load_error::LoadError;
use crate::api::{ApiError, ApiResult};
use crate::i18n::*;
use crate::session::use_auth;

/// Shows `resource` through `render` once loaded. While it reloads, the old data stays.
pub fn remote<T, V>(
    resource: LocalResource<ApiResult<T>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    let load: Load = Arc::new(move || {
        let render = render.clone();
        Box::pin(async move { resource.await.map(|data| render(data).into_any()) })
    });
    loaded(load, Callback::new(move |()| resource.refetch()))
}

/// A resource's data as a view: every `remote` shares one loading, error and transition path
/// instead of one per resource type (issue 16).
type Load =
    Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<AnyView, ApiError>> + Send>> + Send + Sync>;

fn loaded(load: Load, retry: Callback<()>) -> AnyView {
    let i18n = use_i18n();
    let auth = use_auth();
    view! {
        <Transition fallback=move || view! { <p class="loading" role="status">{tr!(i18n, loading)}</p> }>
            {
                let load = load.clone();
                move || {
                    let load = load.clone();
                    Suspend::new(async move {
                        match load().await {
                            Ok(view) => view,
                            Err(error) => {
                                if error.is_unauthenticated() {
                                    auth.expired();
                                }
                                view! { <LoadError error retry/> }.into_any()
                            }
                        }
                    })
                }
            }
        </Transition>
    }
    .into_any()
}
