//! OPS-6: the reads each page's first screen makes, which the server answers in the page itself
//! when the page is asked for with a valid session (a JSON data island), so that the app paints
//! them without a round trip; the app takes each answer once and asks the API for the rest.

/// The `id` of the island: `<script type="application/json" id="pc-first-screen">`, a JSON
/// object of the answers by their path, e.g. `{"/api/session": {…}, "/api/me/employee": {…}}`.
pub const ISLAND_ID: &str = "pc-first-screen";

/// The read that says whether the page is signed in; the island has the others only with it.
pub const SESSION_READ: &str = "/api/session";

/// What every signed-in page reads: the employee panel and the softphone in the shell.
const SHELL_READS: [&str; 2] = ["/api/me/employee", "/api/me/agent/softphone"];

/// The reads of the app's page at `path` (`/agent-info`, …) beyond the session: the shell's and
/// its tab's. A page that is not a tab (`/sign-in`) has none.
pub fn reads_of(path: &str) -> Vec<&'static str> {
    let tab: &[&str] = match path.trim_end_matches('/') {
        "" | "/agent-info" => &[
            "/api/me/agent",
            "/api/me/agent/downloads",
            "/api/me/agent/registration",
            "/api/me/agent/softphone-password",
            "/api/me/activity",
        ],
        "/personalized-settings" => &[
            "/api/me/settings",
            "/api/me/agent",
            "/api/me/business-cards",
        ],
        "/agent-parameters" => &["/api/me/parameters"],
        _ => return Vec::new(),
    };
    SHELL_READS.iter().chain(tab).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tab_reads_the_shells_data_and_its_own_and_another_page_reads_nothing() {
        assert_eq!(
            reads_of("/agent-parameters"),
            [
                "/api/me/employee",
                "/api/me/agent/softphone",
                "/api/me/parameters"
            ]
        );
        assert_eq!(reads_of("/"), reads_of("/agent-info/"));
        assert!(reads_of("/sign-in").is_empty());
        assert!(reads_of("/agent-info/../sign-in").is_empty());
    }
}
