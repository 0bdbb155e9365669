//! Data loaded from the server: a loading state, the data, or an error with a retry. A lost
//! session sends the agent to sign in.

use leptos::prelude::*;

use super::load_error::LoadError;
use crate::api::ApiResult;
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
    let i18n = use_i18n();
    let auth = use_auth();
    let retry = Callback::new(move |()| resource.refetch());
    view! {
        <Transition fallback=move || view! { <p class="loading" role="status">{tr!(i18n, loading)}</p> }>
            {
                let render = render.clone();
                move || {
                    let render = render.clone();
                    Suspend::new(async move {
                        match resource.await {
                            Ok(data) => render(data).into_any(),
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
}
