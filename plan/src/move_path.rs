//! The ways an original subscription can move onto CSP, and when each one is possible.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::record::Channel;

/// Days a partner-to-partner transfer request stays open before it expires unanswered.
pub const TRANSFER_REQUEST_DAYS: u32 = 30;

/// How an original subscription moves onto CSP.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum MovePath {
    /// Buy the CSP subscription before the original ends; both are paid for in between.
    #[default]
    Overlap,
    /// Let the original end and buy right after, while users keep access during grace.
    Grace,
    /// Enterprise Agreement channel transfer: Microsoft creates the CSP subscription the day
    /// after the agreement ends, as the partner scheduled it.
    EaTransfer,
    /// Partner-to-partner transfer of the other partner's subscription, mid-term.
    CspTransfer,
}

impl MovePath {
    /// Every path, in the order they are shown.
    pub const ALL: [MovePath; 4] = [
        MovePath::Overlap,
        MovePath::Grace,
        MovePath::EaTransfer,
        MovePath::CspTransfer,
    ];

    /// The code in CSV files and JSON (`overlap`, `grace`, `ea_transfer`, `csp_transfer`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            MovePath::Overlap => "overlap",
            MovePath::Grace => "grace",
            MovePath::EaTransfer => "ea_transfer",
            MovePath::CspTransfer => "csp_transfer",
        }
    }

    /// Parses a code or a word a Japanese spreadsheet would use (see the crate README). Case,
    /// full-width letters, spaces and hyphens do not matter.
    #[must_use]
    pub fn parse(text: &str) -> Option<MovePath> {
        let key: String = text
            .trim()
            .chars()
            .map(|c| match c {
                // Full-width ASCII (ＥＡ移行) as typed with a Japanese input method.
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0)
                    .unwrap_or(c)
                    .to_ascii_lowercase(),
                ' ' | '\u{3000}' | '-' | '_' | '・' => '_',
                c => c.to_ascii_lowercase(),
            })
            .filter(|c| *c != '_')
            .collect();
        let path = match key.as_str() {
            "overlap" | "重複" | "並行" | "並行稼働" | "重複購入" => MovePath::Overlap,
            "grace" | "猶予" | "猶予期間" | "グレース" | "グレース期間" => {
                MovePath::Grace
            }
            "eatransfer" | "ea移行" | "ea転換" | "eaチャネル移行" | "チャネル移行" => {
                MovePath::EaTransfer
            }
            "csptransfer" | "パートナー間移管" | "パートナー移管" | "移管" | "csp移管" => {
                MovePath::CspTransfer
            }
            _ => return None,
        };
        Some(path)
    }

    /// Whether this path is possible for an original subscription today. `grace_days` is `G` of
    /// the row's channel; `offer_changes` says whether a different target offer is asked for.
    pub fn check(
        self,
        channel: Channel,
        end: Date,
        today: Date,
        grace_days: u32,
        offer_changes: bool,
    ) -> Result<(), PathUnavailable> {
        match self {
            MovePath::Overlap => Ok(()),
            MovePath::Grace => {
                if !matches!(channel, Channel::Direct | Channel::Partner) {
                    Err(PathUnavailable::Channel)
                } else if today > end.plus_days(grace_days) {
                    Err(PathUnavailable::GraceOver)
                } else {
                    Ok(())
                }
            }
            MovePath::EaTransfer => {
                if channel != Channel::Ea {
                    Err(PathUnavailable::Channel)
                } else if today > end {
                    Err(PathUnavailable::Ended)
                } else {
                    Ok(())
                }
            }
            MovePath::CspTransfer => {
                if channel != Channel::Partner {
                    Err(PathUnavailable::Channel)
                } else if today > end {
                    Err(PathUnavailable::Ended)
                } else if offer_changes {
                    Err(PathUnavailable::TargetOfferDiffers)
                } else {
                    Ok(())
                }
            }
        }
    }

    /// The channels this path works for.
    #[must_use]
    pub fn channels(self) -> &'static [Channel] {
        match self {
            MovePath::Overlap => &[
                Channel::Direct,
                Channel::Partner,
                Channel::Open,
                Channel::Ea,
            ],
            MovePath::Grace => &[Channel::Direct, Channel::Partner],
            MovePath::EaTransfer => &[Channel::Ea],
            MovePath::CspTransfer => &[Channel::Partner],
        }
    }
}

impl fmt::Display for MovePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a requested path cannot be used (the planner then falls back to overlap).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum PathUnavailable {
    /// The path does not exist for the original's channel.
    Channel,
    /// The original has already ended; a transfer needs a running subscription.
    Ended,
    /// The grace period after the end date is over.
    GraceOver,
    /// A partner-to-partner transfer keeps the offer; moving to another one needs overlap.
    TargetOfferDiffers,
}

impl fmt::Display for PathUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathUnavailable::Channel => "the path does not exist for this channel",
            PathUnavailable::Ended => "the original has already ended",
            PathUnavailable::GraceOver => "the grace period after the end date is over",
            PathUnavailable::TargetOfferDiffers => {
                "a transfer keeps the same offer, and a different target offer is set"
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn codes_parse_back_and_serialize_as_codes() {
        for p in MovePath::ALL {
            assert_eq!(MovePath::parse(p.code()), Some(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.code())
            );
        }
        assert_eq!(MovePath::default(), MovePath::Overlap);
    }

    #[test]
    fn spreadsheet_spellings_are_understood() {
        for (text, path) in [
            ("EA Transfer", MovePath::EaTransfer),
            ("csp-transfer", MovePath::CspTransfer),
            (" GRACE ", MovePath::Grace),
            ("重複", MovePath::Overlap),
            ("並行稼働", MovePath::Overlap),
            ("猶予期間", MovePath::Grace),
            ("EA移行", MovePath::EaTransfer),
            ("ＥＡ移行", MovePath::EaTransfer),
            ("EA 移行", MovePath::EaTransfer),
            ("パートナー間移管", MovePath::CspTransfer),
        ] {
            assert_eq!(MovePath::parse(text), Some(path), "{text}");
        }
        for bad in ["", "transfer", "ea", "overlapp", "移行"] {
            assert_eq!(MovePath::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_path_is_possible_only_on_its_channels_and_in_time() {
        let e = d("2027-01-15");
        let ok = |p: MovePath, c, t: &str| p.check(c, e, d(t), 30, false);
        for c in [
            Channel::Direct,
            Channel::Partner,
            Channel::Open,
            Channel::Ea,
        ] {
            assert_eq!(ok(MovePath::Overlap, c, "2030-01-01"), Ok(()));
            for p in MovePath::ALL {
                let on_channel = p.channels().contains(&c);
                assert_eq!(ok(p, c, "2027-01-15").is_ok(), on_channel, "{p} on {c:?}");
            }
        }
        assert_eq!(ok(MovePath::Grace, Channel::Direct, "2027-02-14"), Ok(()));
        assert_eq!(
            ok(MovePath::Grace, Channel::Direct, "2027-02-15"),
            Err(PathUnavailable::GraceOver)
        );
        assert_eq!(
            ok(MovePath::EaTransfer, Channel::Ea, "2027-01-16"),
            Err(PathUnavailable::Ended)
        );
        assert_eq!(
            ok(MovePath::CspTransfer, Channel::Partner, "2027-01-16"),
            Err(PathUnavailable::Ended)
        );
        assert_eq!(
            MovePath::CspTransfer.check(Channel::Partner, e, e, 30, true),
            Err(PathUnavailable::TargetOfferDiffers)
        );
        assert_eq!(
            MovePath::Grace.check(Channel::Direct, e, e, 30, true),
            Ok(())
        );
    }
}
