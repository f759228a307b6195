//! Company names, domains and addresses in English and Japanese.
use crate::prng::Rng;

/// A generated company identity, before its domain is made unique.
#[derive(Debug, Clone)]
pub struct Company {
    pub name: String,
    /// Lower-case ASCII words the domain is built from, e.g. `["harbor", "logistics"]`.
    pub words: Vec<&'static str>,
    pub country: &'static Country,
    pub japanese: bool,
}

/// Where a tenant is, and what its documents look like there.
#[derive(Debug)]
pub struct Country {
    pub code: &'static str,
    pub currency: &'static str,
    pub culture: &'static str,
    pub language: &'static str,
    pub vanity_tlds: &'static [&'static str],
    /// `(city, state/region, postal code, phone prefix)`.
    pub cities: &'static [(&'static str, &'static str, &'static str, &'static str)],
    pub streets: &'static [&'static str],
}

pub static JAPAN: Country = Country {
    code: "JP",
    currency: "JPY",
    culture: "ja-JP",
    language: "ja",
    vanity_tlds: &["co.jp", "jp", "co.jp", "com"],
    cities: &[
        ("千代田区", "東京都", "100-0005", "+81 3"),
        ("港区", "東京都", "105-0011", "+81 3"),
        ("新宿区", "東京都", "160-0022", "+81 3"),
        ("大阪市北区", "大阪府", "530-0001", "+81 6"),
        ("名古屋市中村区", "愛知県", "450-0002", "+81 52"),
        ("福岡市博多区", "福岡県", "812-0011", "+81 92"),
        ("札幌市中央区", "北海道", "060-0001", "+81 11"),
        ("横浜市西区", "神奈川県", "220-0012", "+81 45"),
        ("仙台市青葉区", "宮城県", "980-0021", "+81 22"),
        ("京都市下京区", "京都府", "600-8216", "+81 75"),
    ],
    streets: &[
        "丸の内1-9-2",
        "芝公園2-4-1",
        "西新宿3-7-1",
        "梅田2-2-22",
        "名駅1-1-4",
        "博多駅前2-1-1",
    ],
};

static ENGLISH_COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        currency: "USD",
        culture: "en-US",
        language: "en",
        vanity_tlds: &["com", "com", "net", "io", "us"],
        cities: &[
            ("Seattle", "WA", "98101", "+1 206"),
            ("Austin", "TX", "78701", "+1 512"),
            ("Denver", "CO", "80202", "+1 303"),
            ("Columbus", "OH", "43215", "+1 614"),
            ("Portland", "OR", "97204", "+1 503"),
            ("Raleigh", "NC", "27601", "+1 919"),
        ],
        streets: &[
            "1200 Market St",
            "410 Congress Ave",
            "77 Harbor Way",
            "2500 Pine Ridge Rd",
        ],
    },
    Country {
        code: "GB",
        currency: "GBP",
        culture: "en-GB",
        language: "en",
        vanity_tlds: &["co.uk", "co.uk", "com", "uk"],
        cities: &[
            ("Manchester", "Greater Manchester", "M1 1AE", "+44 161"),
            ("Leeds", "West Yorkshire", "LS1 4DY", "+44 113"),
            ("Bristol", "Bristol", "BS1 5TR", "+44 117"),
            ("London", "London", "EC2A 4NE", "+44 20"),
        ],
        streets: &["14 Canal Street", "3 Wellington Place", "22 Queen Square"],
    },
    Country {
        code: "AU",
        currency: "AUD",
        culture: "en-AU",
        language: "en",
        vanity_tlds: &["com.au", "com.au", "net.au"],
        cities: &[
            ("Sydney", "NSW", "2000", "+61 2"),
            ("Melbourne", "VIC", "3000", "+61 3"),
            ("Brisbane", "QLD", "4000", "+61 7"),
        ],
        streets: &["88 George Street", "120 Collins Street", "5 Eagle Street"],
    },
    Country {
        code: "CA",
        currency: "CAD",
        culture: "en-CA",
        language: "en",
        vanity_tlds: &["ca", "com"],
        cities: &[
            ("Toronto", "ON", "M5H 2N2", "+1 416"),
            ("Vancouver", "BC", "V6B 1A1", "+1 604"),
            ("Calgary", "AB", "T2P 1J9", "+1 403"),
        ],
        streets: &["100 King St W", "555 Burrard St", "240 4 Ave SW"],
    },
    Country {
        code: "DE",
        currency: "EUR",
        culture: "de-DE",
        language: "de",
        vanity_tlds: &["de", "de", "com"],
        cities: &[
            ("München", "Bayern", "80331", "+49 89"),
            ("Hamburg", "Hamburg", "20095", "+49 40"),
            ("Köln", "Nordrhein-Westfalen", "50667", "+49 221"),
        ],
        streets: &["Marienplatz 8", "Jungfernstieg 12", "Hohe Straße 41"],
    },
];

const ENGLISH_COUNTRY_WEIGHTS: [u32; 5] = [50, 18, 12, 10, 10];

/// `(display, slug)` pairs.
type Part = (&'static str, &'static str);

static EN_PLACES: &[Part] = &[
    ("Alder", "alder"),
    ("Bluewater", "bluewater"),
    ("Cedar", "cedar"),
    ("Harbor", "harbor"),
    ("Summit", "summit"),
    ("Redwood", "redwood"),
    ("Ironbridge", "ironbridge"),
    ("Lakeside", "lakeside"),
    ("Brightline", "brightline"),
    ("Kestrel", "kestrel"),
    ("Granite", "granite"),
    ("Oakmont", "oakmont"),
    ("Silverline", "silverline"),
    ("Westbrook", "westbrook"),
    ("Pinecrest", "pinecrest"),
    ("Meridian", "meridian"),
    ("Lumen", "lumen"),
    ("Halcyon", "halcyon"),
    ("Trident", "trident"),
    ("Northgate", "northgate"),
    ("Copperleaf", "copperleaf"),
    ("Fairhaven", "fairhaven"),
    ("Stonebridge", "stonebridge"),
    ("Riverbend", "riverbend"),
    ("Blackthorn", "blackthorn"),
    ("Evergreen", "evergreen"),
    ("Highfield", "highfield"),
    ("Wrenfield", "wrenfield"),
    ("Coastal", "coastal"),
    ("Prairie", "prairie"),
    ("Tidewater", "tidewater"),
    ("Larkspur", "larkspur"),
];

static EN_SURNAMES: &[Part] = &[
    ("Baker", "baker"),
    ("Patel", "patel"),
    ("Nguyen", "nguyen"),
    ("Okafor", "okafor"),
    ("Schmidt", "schmidt"),
    ("Rossi", "rossi"),
    ("Lindqvist", "lindqvist"),
    ("O'Brien", "obrien"),
    ("Fischer", "fischer"),
    ("Kowalski", "kowalski"),
    ("Haddad", "haddad"),
    ("Harper", "harper"),
    ("Whitfield", "whitfield"),
    ("Castillo", "castillo"),
    ("Morrison", "morrison"),
    ("Abernathy", "abernathy"),
    ("Delgado", "delgado"),
    ("Sinclair", "sinclair"),
    ("Mbeki", "mbeki"),
    ("Thornton", "thornton"),
];

static EN_TRADES: &[Part] = &[
    ("Logistics", "logistics"),
    ("Dental Group", "dental"),
    ("Architects", "architects"),
    ("Engineering", "engineering"),
    ("Accounting", "accounting"),
    ("Legal", "legal"),
    ("Foods", "foods"),
    ("Biotech", "bio"),
    ("Analytics", "analytics"),
    ("Consulting", "consulting"),
    ("Manufacturing", "mfg"),
    ("Realty", "realty"),
    ("Veterinary Clinic", "vets"),
    ("Marine", "marine"),
    ("Software", "software"),
    ("Medical Partners", "medical"),
    ("Freight", "freight"),
    ("Builders", "builders"),
    ("Design Studio", "design"),
    ("Insurance Brokers", "insurance"),
    ("Brewing Co.", "brewing"),
    ("Outdoor Supply", "outdoor"),
    ("Dairy", "dairy"),
    ("Robotics", "robotics"),
    ("Hotels", "hotels"),
];

static EN_SUFFIXES: &[&str] = &[
    "",
    "",
    "",
    " Ltd",
    " LLC",
    " Inc.",
    " Group",
    " Partners",
    " Pty Ltd",
    " GmbH",
];

static JA_NAMES: &[Part] = &[
    ("山田", "yamada"),
    ("佐藤", "sato"),
    ("鈴木", "suzuki"),
    ("高橋", "takahashi"),
    ("田中", "tanaka"),
    ("渡辺", "watanabe"),
    ("伊藤", "ito"),
    ("中村", "nakamura"),
    ("小林", "kobayashi"),
    ("加藤", "kato"),
    ("桜", "sakura"),
    ("富士", "fuji"),
    ("大和", "yamato"),
    ("青葉", "aoba"),
    ("東海", "tokai"),
    ("北斗", "hokuto"),
    ("瀬戸内", "setouchi"),
    ("浪速", "naniwa"),
    ("みなと", "minato"),
    ("光", "hikari"),
    ("朝日", "asahi"),
    ("若葉", "wakaba"),
    ("日の出", "hinode"),
    ("中央", "chuo"),
    ("サクラ", "sakura"),
    ("アオイ", "aoi"),
    ("ミライ", "mirai"),
    ("ひまわり", "himawari"),
    ("松本", "matsumoto"),
    ("井上", "inoue"),
];

static JA_TRADES: &[Part] = &[
    ("商事", "shoji"),
    ("建設", "kensetsu"),
    ("工業", "kogyo"),
    ("物流", "butsuryu"),
    ("製作所", "seisakusho"),
    ("不動産", "fudosan"),
    ("食品", "shokuhin"),
    ("電機", "denki"),
    ("設計事務所", "sekkei"),
    ("会計事務所", "kaikei"),
    ("運輸", "unyu"),
    ("印刷", "insatsu"),
    ("薬品", "yakuhin"),
    ("システムズ", "systems"),
    ("ソリューションズ", "solutions"),
    ("テクノロジー", "tech"),
    ("歯科医院", "shika"),
    ("精機", "seiki"),
    ("酒造", "shuzo"),
    ("観光", "kanko"),
    ("産業", "sangyo"),
    ("化学", "kagaku"),
];

/// Makes one company: about 40 % Japanese, the rest English-speaking.
pub fn company(rng: &mut Rng) -> Company {
    if rng.chance(0.4) {
        japanese(rng)
    } else {
        english(rng)
    }
}

fn japanese(rng: &mut Rng) -> Company {
    let (n, ns) = *rng.pick(JA_NAMES);
    let (t, ts) = *rng.pick(JA_TRADES);
    let name = match rng.weighted(&[45, 25, 12, 8, 10]) {
        0 => format!("株式会社{n}{t}"),
        1 => format!("{n}{t}株式会社"),
        2 => format!("有限会社{n}{t}"),
        3 => format!("{n}{t}有限会社"),
        _ => format!("合同会社{n}{t}"),
    };
    Company {
        name,
        words: vec![ns, ts],
        country: &JAPAN,
        japanese: true,
    }
}

fn english(rng: &mut Rng) -> Company {
    let country = &ENGLISH_COUNTRIES[rng.weighted(&ENGLISH_COUNTRY_WEIGHTS)];
    let (t, ts) = *rng.pick(EN_TRADES);
    let (name, words) = match rng.weighted(&[40, 25, 15, 10, 10]) {
        0 => {
            let (p, ps) = *rng.pick(EN_PLACES);
            (format!("{p} {t}"), vec![ps, ts])
        }
        1 => {
            let (s, ss) = *rng.pick(EN_SURNAMES);
            (format!("{s} {t}"), vec![ss, ts])
        }
        2 => {
            let (a, as_) = *rng.pick(EN_SURNAMES);
            let (b, bs) = *rng.pick(EN_SURNAMES);
            (format!("{a} & {b}"), vec![as_, bs])
        }
        3 => {
            let (a, as_) = *rng.pick(EN_SURNAMES);
            let (b, bs) = *rng.pick(EN_SURNAMES);
            (format!("{a}, {b} & Co."), vec![as_, bs])
        }
        _ => {
            let (p, ps) = *rng.pick(EN_PLACES);
            (format!("{p} {t} Cooperative"), vec![ps, ts, "coop"])
        }
    };
    let suffix = if name.ends_with("Co.") || name.ends_with("Cooperative") {
        ""
    } else {
        match country.code {
            "DE" => *rng.pick(&["", " GmbH", " GmbH", " AG"]),
            "AU" => *rng.pick(&["", " Pty Ltd", " Pty Ltd"]),
            "GB" => *rng.pick(&["", " Ltd", " Ltd", " LLP"]),
            _ => *rng.pick(EN_SUFFIXES),
        }
    };
    Company {
        name: format!("{name}{suffix}"),
        words,
        country,
        japanese: false,
    }
}

/// The tenant's initial `*.onmicrosoft.com` name: letters and digits only.
pub fn initial_domain(words: &[&str], attempt: u32) -> String {
    let base: String = words
        .concat()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if attempt == 0 {
        format!("{base}.onmicrosoft.com")
    } else {
        format!("{base}{}.onmicrosoft.com", attempt + 1)
    }
}

/// A vanity domain such as `harbor-logistics.co.uk`.
pub fn vanity_domain(words: &[&str], tld: &str, attempt: u32) -> String {
    let base = words.join("-");
    if attempt == 0 {
        format!("{base}.{tld}")
    } else {
        format!("{base}{}.{tld}", attempt + 1)
    }
}

static EN_FIRST: &[&str] = &[
    "Alex", "Priya", "Sam", "Jordan", "Maria", "Chen", "Olivia", "Tom", "Aisha", "Lukas",
];
static EN_LAST: &[&str] = &[
    "Walker", "Shah", "Reid", "Kim", "Novak", "Hughes", "Brennan", "Ito", "Bauer", "Clarke",
];
static JA_FIRST: &[&str] = &[
    "太郎",
    "花子",
    "健一",
    "美咲",
    "翔",
    "陽子",
    "大輔",
    "さくら",
    "誠",
    "由美",
];
static JA_LAST: &[&str] = &[
    "山本", "中島", "石川", "森", "清水", "山口", "林", "斎藤", "岡田", "前田",
];

/// A contact's first and last name in the company's language.
pub fn contact(rng: &mut Rng, japanese: bool) -> (&'static str, &'static str) {
    if japanese {
        (*rng.pick(JA_FIRST), *rng.pick(JA_LAST))
    } else {
        (*rng.pick(EN_FIRST), *rng.pick(EN_LAST))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_domains_have_no_hyphens() {
        assert_eq!(
            initial_domain(&["yamada", "kensetsu"], 0),
            "yamadakensetsu.onmicrosoft.com"
        );
        assert_eq!(
            initial_domain(&["obrien", "legal"], 2),
            "obrienlegal3.onmicrosoft.com"
        );
        assert_eq!(
            vanity_domain(&["harbor", "logistics"], "co.uk", 0),
            "harbor-logistics.co.uk"
        );
    }

    #[test]
    fn makes_both_languages() {
        let mut rng = Rng::new(3);
        let companies: Vec<Company> = (0..200).map(|_| company(&mut rng)).collect();
        assert!(
            companies
                .iter()
                .any(|c| c.japanese && c.name.contains("株式会社"))
        );
        assert!(companies.iter().any(|c| !c.japanese));
    }
}
