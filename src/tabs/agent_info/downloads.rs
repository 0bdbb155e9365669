//! AGT-2, AGT-3: the client downloads the tenant offers this agent. The server decides which
//! (the model's `ClientDownloads::for_agent`); a button without an address is not shown.

use leptos::prelude::*;
use pc_model::ClientDownloads;

use crate::i18n::*;

#[component]
pub fn DownloadButtons(downloads: ClientDownloads) -> impl IntoView {
    let i18n = use_i18n();
    let vrc = downloads.vrc_url.map(|url| {
        view! {
            <a class="button secondary" id="download-vrc" href=url download="" rel="noopener">
                {tr!(i18n, agent_info.download_vrc)}
            </a>
        }
    });
    let openeye = downloads.openeye_url.map(|url| {
        view! {
            <a class="button secondary" id="download-openeye" href=url download="" rel="noopener">
                {tr!(i18n, agent_info.download_openeye)}
            </a>
        }
    });
    view! { <div class="agent-downloads" data-testid="agent-downloads">{vrc}{openeye}</div> }
}
