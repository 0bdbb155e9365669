//! PER-6: the OU and channel chosen for an E-Name Card, as plain Rust. The rules come from the
//! model (`GenerateBusinessCard::validate`), so the app refuses exactly what the server would.

use pc_model::business_card::CardField;
use pc_model::{
    BusinessCard, BusinessCardPage, CardOrgUnit, FieldError, GenerateBusinessCard, Violation,
    WhatsAppChannel,
};

use crate::form::{typed, Form, FormValues};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardChoice {
    pub org_unit_id: Option<i64>,
    pub channel_id: Option<i64>,
}

/// A `<select>` value: empty for "nothing chosen", else an ID.
pub fn parse_option(value: &str) -> Option<i64> {
    value.trim().parse().ok()
}

impl CardChoice {
    /// Where the section opens: on the agent's first card if they have one, else on the only
    /// OU and channel if there is just one of each.
    pub fn initial(page: &BusinessCardPage) -> CardChoice {
        if let Some(card) = page.cards.first() {
            return CardChoice {
                org_unit_id: Some(card.org_unit_id),
                channel_id: Some(card.channel.id),
            };
        }
        let mut choice = CardChoice::default();
        if let [only] = page.org_units.as_slice() {
            choice.choose_org_unit(page, Some(only.id));
        }
        choice
    }

    /// A new OU: the channel chosen before belongs to another OU, so it is cleared, unless the
    /// new OU has exactly one channel, which is then chosen.
    pub fn choose_org_unit(&mut self, page: &BusinessCardPage, org_unit_id: Option<i64>) {
        if org_unit_id == self.org_unit_id {
            return;
        }
        self.org_unit_id = org_unit_id;
        self.channel_id = match self.channels(page) {
            [only] => Some(only.id),
            _ => None,
        };
    }

    pub fn choose_channel(&mut self, channel_id: Option<i64>) {
        self.channel_id = channel_id;
    }

    /// The channels of the chosen OU (none before an OU is chosen).
    pub fn channels<'a>(&self, page: &'a BusinessCardPage) -> &'a [WhatsAppChannel] {
        page.org_units
            .iter()
            .find(|u| Some(u.id) == self.org_unit_id)
            .map_or(&[], |u| u.channels.as_slice())
    }

    pub fn request(&self) -> GenerateBusinessCard {
        GenerateBusinessCard {
            org_unit_id: self.org_unit_id,
            channel_id: self.channel_id,
        }
    }

    /// What is wrong with the choice, by field (`org_unit_id`, `channel_id`).
    pub fn errors(&self, page: &BusinessCardPage) -> Vec<FieldError> {
        self.request()
            .validate(&page.org_units)
            .err()
            .unwrap_or_default()
    }

    /// The agent's current card for the chosen channel, if any.
    pub fn card<'a>(&self, cards: &'a [BusinessCard]) -> Option<&'a BusinessCard> {
        cards.iter().find(|c| Some(c.channel.id) == self.channel_id)
    }
}

/// The E-Name Card form's values: the choice, with the OUs offered to choose from.
#[derive(Clone, Debug, PartialEq)]
pub struct CardValues {
    pub choice: CardChoice,
    pub offered: Vec<CardOrgUnit>,
}

pub type CardForm = Form<CardValues>;

impl FormValues for CardValues {
    type Field = CardField;

    fn violations(&self) -> Vec<(CardField, Violation)> {
        typed(self.choice.request().validate(&self.offered).map(|_| ()))
    }

    fn value_of(&self, field: CardField) -> String {
        let id = match field {
            CardField::OrgUnit => self.choice.org_unit_id,
            CardField::Channel => self.choice.channel_id,
        };
        id.map(|id| id.to_string()).unwrap_or_default()
    }

    /// Rules show once the agent has tried to generate.
    fn shows_early(&self, _field: CardField) -> bool {
        false
    }
}

impl CardForm {
    pub fn choice_with<T>(&self, read: impl FnOnce(&CardChoice) -> T) -> T {
        self.with(|v| read(&v.choice))
    }

    pub fn choice_update(&self, change: impl FnOnce(&mut CardChoice)) {
        self.update(|v| change(&mut v.choice));
    }
}

/// The cards with `card` in place of the one it replaces (same channel).
pub fn with_card(cards: &[BusinessCard], card: BusinessCard) -> Vec<BusinessCard> {
    let mut cards: Vec<BusinessCard> = cards
        .iter()
        .filter(|c| c.channel.id != card.channel.id)
        .cloned()
        .collect();
    cards.push(card);
    cards
}

#[cfg(test)]
mod tests {
    use super::*;
    use pc_model::{CardOrgUnit, Violation};

    fn channel(id: i64) -> WhatsAppChannel {
        WhatsAppChannel {
            id,
            name: format!("Channel {id}"),
            phone_number: "+8613800138000".into(),
        }
    }

    fn page() -> BusinessCardPage {
        BusinessCardPage {
            org_units: vec![
                CardOrgUnit {
                    id: 11,
                    name: "Customer Care".into(),
                    channels: vec![channel(100), channel(101)],
                },
                CardOrgUnit {
                    id: 13,
                    name: "VIP".into(),
                    channels: vec![channel(103)],
                },
            ],
            cards: Vec::new(),
        }
    }

    fn card(org_unit_id: i64, channel_id: i64, code: &str) -> BusinessCard {
        BusinessCard {
            org_unit_id,
            org_unit_name: String::new(),
            channel: channel(channel_id),
            code: code.into(),
            link: format!("https://wa.me/8613800138000?text={code}"),
            issued_at: 0,
            avatar: 1,
            display_name: "Alice".into(),
        }
    }

    #[test]
    fn nothing_is_chosen_among_several_ous_and_both_fields_say_so() {
        let choice = CardChoice::initial(&page());
        assert_eq!(choice, CardChoice::default());
        let fields: Vec<_> = choice
            .errors(&page())
            .into_iter()
            .map(|e| (e.field, e.violation))
            .collect();
        assert_eq!(
            fields,
            [
                ("org_unit_id".to_owned(), Violation::Required),
                ("channel_id".to_owned(), Violation::Required)
            ]
        );
        assert!(choice.channels(&page()).is_empty());
    }

    #[test]
    fn an_existing_card_is_opened_first() {
        let mut page = page();
        page.cards = vec![card(13, 103, "PC-1")];
        let choice = CardChoice::initial(&page);
        assert_eq!(
            (choice.org_unit_id, choice.channel_id),
            (Some(13), Some(103))
        );
        assert_eq!(choice.card(&page.cards).unwrap().code, "PC-1");
    }

    #[test]
    fn a_single_ou_with_a_single_channel_is_chosen_for_the_agent() {
        let mut page = page();
        page.org_units.remove(0);
        let choice = CardChoice::initial(&page);
        assert_eq!(
            (choice.org_unit_id, choice.channel_id),
            (Some(13), Some(103))
        );
        assert!(choice.errors(&page).is_empty());
    }

    #[test]
    fn changing_the_ou_clears_a_channel_of_the_old_one() {
        let page = page();
        let mut choice = CardChoice::default();
        choice.choose_org_unit(&page, Some(11));
        assert_eq!(choice.channel_id, None);
        assert_eq!(choice.channels(&page).len(), 2);
        choice.choose_channel(Some(101));
        assert!(choice.errors(&page).is_empty());
        assert_eq!(choice.request().channel_id, Some(101));
        // Choosing the same OU again keeps the channel.
        choice.choose_org_unit(&page, Some(11));
        assert_eq!(choice.channel_id, Some(101));
        choice.choose_org_unit(&page, Some(13));
        assert_eq!(choice.channel_id, Some(103));
        choice.choose_org_unit(&page, None);
        assert_eq!(choice.channel_id, None);
    }

    #[test]
    fn select_values_are_ids_or_nothing() {
        assert_eq!(parse_option("101"), Some(101));
        assert_eq!(parse_option(""), None);
        assert_eq!(parse_option("x"), None);
    }

    #[test]
    fn a_new_card_replaces_the_one_on_its_channel_only() {
        let cards = vec![card(11, 100, "PC-old"), card(13, 103, "PC-vip")];
        let cards = with_card(&cards, card(11, 100, "PC-new"));
        let codes: Vec<_> = cards.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["PC-vip", "PC-new"]);
    }
}
