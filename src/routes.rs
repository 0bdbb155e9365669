//! The app's URLs. Each tab has its own, so a reload or a shared link keeps the tab; the query
//! string (e.g. `?lang=zh-CN` from the workbench) travels along on every navigation.

use pc_model::ParameterId;

pub const SIGN_IN: &str = pc_model::SIGN_IN_PAGE;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    AgentInfo,
    PersonalizedSettings,
    AgentParameters,
}

impl Tab {
    pub const ALL: [Tab; 3] = [
        Tab::AgentInfo,
        Tab::PersonalizedSettings,
        Tab::AgentParameters,
    ];

    /// Used in the URL and in element IDs.
    pub fn slug(self) -> &'static str {
        match self {
            Tab::AgentInfo => "agent-info",
            Tab::PersonalizedSettings => "personalized-settings",
            Tab::AgentParameters => "agent-parameters",
        }
    }

    pub fn path(self) -> String {
        format!("/{}", self.slug())
    }

    pub fn from_path(path: &str) -> Option<Tab> {
        let slug = path.trim_start_matches('/').trim_end_matches('/');
        Tab::ALL.into_iter().find(|tab| tab.slug() == slug)
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or_default()
    }

    /// The next tab, wrapping from the last to the first (WAI-ARIA tabs, Right Arrow).
    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    /// The previous tab, wrapping from the first to the last (WAI-ARIA tabs, Left Arrow).
    pub fn previous(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}

/// `path` with the current query string (`search`, without its `?`) kept.
pub fn with_query(path: &str, search: &str) -> String {
    if search.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{search}")
    }
}

/// BEY-3: the Agent Parameters tab at `parameter`, the query string (`search`) kept.
pub fn parameter_link(parameter: ParameterId, search: &str) -> String {
    format!(
        "{}#{}",
        with_query(&Tab::AgentParameters.path(), search),
        parameter.code()
    )
}

/// The parameter a link to the Agent Parameters tab points at, from its hash (`#…` or empty).
pub fn linked_parameter(hash: &str) -> Option<ParameterId> {
    hash.trim_start_matches('#').parse().ok()
}

/// The query string with `key` set to `value`, other parameters kept in order.
pub fn set_query_param(search: &str, key: &str, value: &str) -> String {
    let mut pairs: Vec<String> = search
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(key))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("{key}={value}"));
    pairs.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_wrap_around_the_tabs() {
        assert_eq!(Tab::AgentInfo.next(), Tab::PersonalizedSettings);
        assert_eq!(Tab::AgentParameters.next(), Tab::AgentInfo);
        assert_eq!(Tab::AgentInfo.previous(), Tab::AgentParameters);
        assert_eq!(Tab::PersonalizedSettings.previous(), Tab::AgentInfo);
    }

    #[test]
    fn every_tab_is_found_from_its_own_path() {
        for tab in Tab::ALL {
            assert_eq!(Tab::from_path(&tab.path()), Some(tab));
        }
        assert_eq!(Tab::from_path("/agent-info/"), Some(Tab::AgentInfo));
        assert_eq!(Tab::from_path("/sign-in"), None);
    }

    #[test]
    fn the_query_travels_along() {
        assert_eq!(with_query("/agent-info", ""), "/agent-info");
        assert_eq!(
            with_query("/agent-info", "lang=zh-CN"),
            "/agent-info?lang=zh-CN"
        );
    }

    #[test]
    fn a_parameter_link_leads_back_to_its_parameter() {
        let link = parameter_link(ParameterId::WebrtcAutoRegister, "lang=zh-CN");
        assert_eq!(link, "/agent-parameters?lang=zh-CN#webrtc_auto_register");
        let hash = link.split_once('#').map(|(_, hash)| hash).unwrap();
        assert_eq!(
            linked_parameter(&format!("#{hash}")),
            Some(ParameterId::WebrtcAutoRegister)
        );
        assert_eq!(
            parameter_link(ParameterId::IntegrateOpeneye, ""),
            "/agent-parameters#integrate_openeye"
        );
        assert_eq!(linked_parameter(""), None);
        assert_eq!(linked_parameter("#made_up"), None);
    }

    #[test]
    fn setting_a_parameter_replaces_only_that_one() {
        assert_eq!(set_query_param("", "lang", "en"), "lang=en");
        assert_eq!(
            set_query_param("lang=zh-CN&next=%2Fagent-info", "lang", "en"),
            "next=%2Fagent-info&lang=en"
        );
    }
}
