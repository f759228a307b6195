//! The partner's planning settings, with the defaults of the planning rules.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::record::Channel;

/// Every number the planner uses; `Settings::default()` gives the documented defaults.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// `L`: calendar days before the end date to have CSP seats live (default 7).
    pub provision_lead_days: u32,
    /// `I`: calendar days before provisioning to send the reseller invitation (default 7).
    pub invite_lead_days: u32,
    /// `A`: calendar days before the end date to switch auto-renew off (default 3).
    pub auto_renew_notice_days: u32,
    /// Which days besides weekends are not business days.
    pub holidays: Holidays,
    /// What happens to an original subscription after its end date, per channel.
    pub lifecycle: Lifecycle,
    /// Currency to show totals in (ISO 4217); `None` shows each row's own currency.
    pub display_currency: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            provision_lead_days: 7,
            invite_lead_days: 7,
            auto_renew_notice_days: 3,
            holidays: Holidays::default(),
            lifecycle: Lifecycle::default(),
            display_currency: None,
        }
    }
}

/// Holidays on top of weekends: none by default.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Holidays {
    /// Japanese national holidays (振替休日 and 国民の休日 included).
    pub japan: bool,
    /// The partner's own closed days.
    pub custom: Vec<Date>,
}

/// Grace and disabled periods of an original subscription, by channel.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lifecycle {
    /// Bought from Microsoft.
    pub direct: ChannelLifecycle,
    /// CSP through another partner.
    pub partner: ChannelLifecycle,
    /// Open / Open Value.
    pub open: ChannelLifecycle,
    /// Enterprise Agreement.
    pub ea: ChannelLifecycle,
}

/// The days after an end date, for one channel.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelLifecycle {
    /// `G`: days in the Expired state.
    pub grace_days: u32,
    /// `D`: days in the Disabled state after that.
    pub disabled_days: u32,
    /// Whether users keep service while Expired (not so for volume licensing).
    pub access_during_grace: bool,
}

impl Default for Lifecycle {
    fn default() -> Lifecycle {
        let keeps = ChannelLifecycle {
            grace_days: 30,
            disabled_days: 90,
            access_during_grace: true,
        };
        Lifecycle {
            direct: keeps,
            partner: keeps,
            open: ChannelLifecycle {
                access_during_grace: false,
                ..keeps
            },
            ea: ChannelLifecycle {
                grace_days: 90,
                disabled_days: 60,
                access_during_grace: false,
            },
        }
    }
}

impl Lifecycle {
    /// The periods for one channel.
    #[must_use]
    pub fn for_channel(&self, channel: Channel) -> ChannelLifecycle {
        match channel {
            Channel::Direct => self.direct,
            Channel::Partner => self.partner,
            Channel::Open => self.open,
            Channel::Ea => self.ea,
        }
    }

    /// Sets `G` for every channel (the CLI's `--grace-days`).
    pub fn set_grace_days(&mut self, days: u32) {
        for c in [
            &mut self.direct,
            &mut self.partner,
            &mut self.open,
            &mut self.ea,
        ] {
            c.grace_days = days;
        }
    }

    /// Sets `D` for every channel (the CLI's `--disabled-days`).
    pub fn set_disabled_days(&mut self, days: u32) {
        for c in [
            &mut self.direct,
            &mut self.partner,
            &mut self.open,
            &mut self.ea,
        ] {
            c.disabled_days = days;
        }
    }
}

/// One customer's exceptions to the partner's settings; `None` keeps the partner's value.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SettingsOverrides {
    /// Overrides `L`.
    pub provision_lead_days: Option<u32>,
    /// Overrides `I`.
    pub invite_lead_days: Option<u32>,
    /// Overrides `A`.
    pub auto_renew_notice_days: Option<u32>,
}

impl SettingsOverrides {
    /// Whether nothing is overridden.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == SettingsOverrides::default()
    }
}

impl Settings {
    /// These settings with a customer's overrides applied. Holidays stay the partner's.
    #[must_use]
    pub fn with_overrides(&self, o: &SettingsOverrides) -> Settings {
        Settings {
            provision_lead_days: o.provision_lead_days.unwrap_or(self.provision_lead_days),
            invite_lead_days: o.invite_lead_days.unwrap_or(self.invite_lead_days),
            auto_renew_notice_days: o
                .auto_renew_notice_days
                .unwrap_or(self.auto_renew_notice_days),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_planning_rules() {
        let s = Settings::default();
        assert_eq!(
            (
                s.provision_lead_days,
                s.invite_lead_days,
                s.auto_renew_notice_days
            ),
            (7, 7, 3)
        );
        assert!(!s.holidays.japan && s.holidays.custom.is_empty());
        let ea = s.lifecycle.for_channel(Channel::Ea);
        assert_eq!(
            (ea.grace_days, ea.disabled_days, ea.access_during_grace),
            (90, 60, false)
        );
        let open = s.lifecycle.for_channel(Channel::Open);
        assert_eq!(
            (
                open.grace_days,
                open.disabled_days,
                open.access_during_grace
            ),
            (30, 90, false)
        );
        for c in [Channel::Direct, Channel::Partner] {
            let l = s.lifecycle.for_channel(c);
            assert_eq!(
                (l.grace_days, l.disabled_days, l.access_during_grace),
                (30, 90, true)
            );
        }
    }

    #[test]
    fn grace_and_disabled_overrides_apply_to_every_channel() {
        let mut l = Lifecycle::default();
        l.set_grace_days(10);
        l.set_disabled_days(20);
        for c in [
            Channel::Direct,
            Channel::Partner,
            Channel::Open,
            Channel::Ea,
        ] {
            assert_eq!(
                (l.for_channel(c).grace_days, l.for_channel(c).disabled_days),
                (10, 20)
            );
        }
        assert!(!l.ea.access_during_grace);
    }

    #[test]
    fn customer_overrides_replace_only_what_they_set() {
        let s = Settings::default().with_overrides(&SettingsOverrides {
            provision_lead_days: Some(14),
            ..Default::default()
        });
        assert_eq!((s.provision_lead_days, s.invite_lead_days), (14, 7));
    }

    #[test]
    fn json_is_camel_case_and_missing_fields_take_defaults() {
        let s: Settings =
            serde_json::from_str(r#"{"provisionLeadDays":5,"holidays":{"japan":true}}"#).unwrap();
        assert_eq!(s.provision_lead_days, 5);
        assert_eq!(s.invite_lead_days, 7);
        assert!(s.holidays.japan);
        let json = serde_json::to_value(Settings::default()).unwrap();
        assert_eq!(json["lifecycle"]["ea"]["graceDays"], 90);
        assert_eq!(json["autoRenewNoticeDays"], 3);
    }
}
