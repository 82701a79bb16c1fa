//! Hostile input: terminal escape sequences, control characters, bidi
//! overrides, zero-width characters, 10,000-character strings, invalid UTF-8,
//! GBK-looking bytes and SQL / LIKE / FTS5 syntax, fed to every validator, the
//! CSV import and the customer search. Nothing panics, nothing typed is taken
//! as syntax, and what the validators return carries no character that could
//! act on a terminal. (The screens' render path: `hostile_render.rs`.)

use crate::common;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use common::{Seeded, actor, acts_on_terminal, new_customer};
use kam::cli::ImportKind;
use kam::commands::CommandEnv;
use kam::commands::import::{bad_row_text, file_problem_text, import_bytes};
use kam::db::customers::{self, CustomerQuery};
use kam::db::reference::{self, Reference};
use kam::db::sql::{Sql, args};
use kam::domain::dossier::{
    COMPETITOR_FIELDS, FieldKind, FieldSpec, FieldValue, PERSON_FIELDS, customer_fields, parse_field,
};
use kam::domain::id::{CustomerId, DivisionCode};
use kam::domain::money::{Money, parse_amount};
use kam::domain::revenue::{Month, StatusRules};
use kam::domain::staff::Staff;
use kam::domain::tier::TierPreset;
use kam::domain::validate::{self, FieldError};
use kam::i18n::Lang;
use kam::import::csv_file::{Table, decode, read_table};
use kam::import::{Parsed, customers as customer_import, persons as person_import, revenue as revenue_import};
use kam::search::{is_short_query, normalize_query, search_key, search_starts};
use kam::ui::widgets::text::{clean, highlighted, pad, truncate, width, wrap};

// ---------------------------------------------------------------------------
// What hostile text is made of
// ---------------------------------------------------------------------------

/// Pieces that random strings are put together from: escape sequences (SGR,
/// OSC title, clear screen, cursor moves, 8-bit CSI), other controls, bidi and
/// zero-width characters, CSV and SQL syntax, and the digits, units and words
/// the validators and the import look for, so that some strings get far.
#[rustfmt::skip]
const FRAGMENTS: &[&str] = &[
    "\u{1b}[31m", "\u{1b}[0m", "\u{1b}]0;title\u{7}", "\u{1b}]8;;http://x\u{1b}\\", "\u{1b}[2J", "\u{1b}[H",
    "\u{1b}[10;10H", "\u{1b}P+q\u{1b}\\", "\u{9b}2J", "\u{7}", "\u{8}", "\r", "\n", "\r\n", "\t", "\0",
    "\u{7f}", "\u{85}", "\u{202e}", "\u{202a}", "\u{2066}", "\u{2069}", "\u{200e}", "\u{200f}", "\u{61c}",
    "\u{200b}", "\u{200c}", "\u{200d}", "\u{2060}", "\u{feff}", "\u{2028}", "\u{ad}", "\u{e0041}", "\"", "'",
    "\"\"", ",", ";", "%", "_", "\\", "*", "(", ")", "NEAR", " AND ", " OR ", "'; DROP TABLE customer; --",
    "=\"", "E+", "e+13", "电信", "帐务", "中心", "广州", "e\u{301}", "\u{5d0}\u{5d1}", "١٢٣", "🏤",
    "👨\u{200d}👩\u{200d}👧", "0", "1", "9", "44010600001000", "440106 00001 000", "４４０１", "１２３", "2026", "-", "/",
    ".", "年", "月", "日", "万", "元", "转", "@", " ", "\u{3000}", "．", "，", "－", "(020)", "138", "00138000", "+86",
    "kam@post.cn",
];

fn joined(max_parts: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..max_parts).prop_map(|parts| parts.concat())
}

/// Up to 10,000 characters of one fragment repeated.
fn long() -> impl Strategy<Value = String> {
    (prop::sample::select(FRAGMENTS), 1usize..=10_000).prop_map(|(f, n)| f.chars().cycle().take(n).collect())
}

fn nasty() -> BoxedStrategy<String> {
    prop_oneof![
        4 => joined(24),
        2 => any::<String>(),
        1 => "[0-9０-９.,，万元 年月日/-]{0,24}",
        1 => long(),
    ]
    .boxed()
}

fn harmless(text: &str) -> bool {
    !text.chars().any(acts_on_terminal)
}

fn config(cases: u32) -> Config {
    // No regression files written next to the tests.
    Config { cases, failure_persistence: None, ..Config::default() }
}

// ---------------------------------------------------------------------------
// Drawing helpers
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    /// `clean` leaves nothing that acts on a terminal, replaces one for one (so
    /// hidden characters show), and the width helpers keep their promises on
    /// whatever they are given.
    #[test]
    fn text_helpers_neutralise_and_measure(raw in nasty(), cols in 0usize..40, query in joined(3)) {
        let shown = clean(&raw);
        prop_assert!(harmless(&shown), "{shown:?}");
        prop_assert_eq!(shown.chars().count(), raw.chars().count());
        prop_assert_eq!(clean(&shown), shown.clone());
        prop_assert!(width(&truncate(&shown, cols)) <= cols);
        prop_assert_eq!(width(&pad(&shown, cols)), cols);
        for line in wrap(&shown, cols) {
            prop_assert!(width(&line) <= cols.max(2), "{line:?}");
        }
        let marks = kam::search::match_ranges(&shown, &query);
        let style = ratatui::style::Style::default();
        let spans = highlighted(&shown, &marks, style, style);
        prop_assert_eq!(spans.iter().map(|s| s.content.as_ref()).collect::<String>(), shown);
        // Raw text does not panic them either.
        let _ = (truncate(&raw, cols), pad(&raw, cols), wrap(&raw, cols));
    }
}

// ---------------------------------------------------------------------------
// Validators
// ---------------------------------------------------------------------------

fn one_of(e: FieldError, allowed: &[FieldError]) -> bool {
    allowed.contains(&e)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn sanitizers_leave_nothing_that_acts_on_a_terminal(raw in nasty()) {
        let once = validate::sanitize_text(&raw);
        prop_assert!(harmless(&once), "{once:?}");
        prop_assert_eq!(validate::sanitize_text(&once), once.clone());
        let multi = validate::sanitize_multiline_text(&raw);
        prop_assert!(multi.split('\n').all(harmless), "{multi:?}");
    }

    #[test]
    fn text_validators_return_clean_trimmed_text_or_a_reason(raw in nasty()) {
        match validate::required(&raw) {
            Ok(v) => prop_assert!(!v.is_empty() && v.trim() == v && harmless(&v), "{v:?}"),
            Err(e) => prop_assert_eq!(e, FieldError::Required),
        }
        let n = raw.chars().count();
        match validate::max_len(&raw, 200) {
            Ok(v) => prop_assert!(n <= 200 && v == raw),
            Err(e) => prop_assert!(n > 200 && e == FieldError::TooLong { max: 200 }, "{e:?}"),
        }
        // Blank (after sanitising) passes as None; anything else is validated.
        for result in [
            validate::optional(&raw, validate::postal_code).map(|_| ()),
            validate::optional(&raw, validate::phone).map(|_| ()),
            validate::optional(&raw, validate::email).map(|_| ()),
        ] {
            if let Err(e) = result {
                prop_assert!(e != FieldError::Required, "optional never says required");
            }
        }
    }

    #[test]
    fn typed_validators_accept_only_their_shape(raw in nasty()) {
        match validate::postal_code(&raw) {
            Ok(v) => prop_assert!(v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit()), "{v:?}"),
            Err(e) => prop_assert!(one_of(e, &[FieldError::Required, FieldError::PostalCode]), "{e:?}"),
        }
        match validate::phone(&raw) {
            Ok(v) => prop_assert!(v.chars().filter(char::is_ascii_digit).count() >= 7, "{v:?}"),
            Err(e) => prop_assert!(one_of(e, &[FieldError::Required, FieldError::Phone]), "{e:?}"),
        }
        match validate::email(&raw) {
            Ok(v) => prop_assert!(
                v.matches('@').count() == 1 && !v.chars().any(|c| c.is_whitespace() || c.is_control()),
                "{v:?}"
            ),
            Err(e) => prop_assert!(one_of(e, &[FieldError::Required, FieldError::Email]), "{e:?}"),
        }
        match validate::count(&raw) {
            Ok(n) => prop_assert!(n >= 0),
            Err(e) => prop_assert!(one_of(e, &[FieldError::Required, FieldError::Count]), "{e:?}"),
        }
        match validate::date(&raw) {
            Ok(d) => prop_assert!((0..=9999).contains(&chrono::Datelike::year(&d))),
            Err(e) => prop_assert!(one_of(e, &[FieldError::Required, FieldError::Date]), "{e:?}"),
        }
        if amount_parsable(&raw) {
            match validate::amount(&raw) {
                Ok(m) => prop_assert!(amount_is_storable(m), "{m:?}"),
                Err(e) => prop_assert!(matches!(e, FieldError::Amount(_)), "{e:?}"),
            }
        }
    }

    #[test]
    fn amounts_ids_and_months_parse_or_refuse(raw in nasty()) {
        if amount_parsable(&raw) && let Ok(m) = parse_amount(&raw) {
            prop_assert!(amount_is_storable(m), "{m:?}");
            prop_assert_eq!(parse_amount(&m.yuan().to_string()), Ok(m));
        }
        if let Ok(id) = CustomerId::parse(&raw) {
            prop_assert!(id.as_str().len() == 14 && id.as_str().bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(CustomerId::parse(&id.formatted()), Ok(id.clone()));
            prop_assert_eq!(CustomerId::parse(id.as_str()), Ok(id));
        }
        if let Ok(division) = DivisionCode::parse(&raw) {
            prop_assert!(division.as_str().len() == 6);
        }
        if let Ok(month) = Month::parse(&raw) {
            prop_assert_eq!(Month::new(month.year(), month.month()), Some(month));
            prop_assert_eq!(Month::parse(&month.to_string()), Ok(month));
        }
    }

    /// Every dossier, key-person and competitor field as forms and imports read it.
    #[test]
    fn every_field_parses_to_clean_values_or_a_reason(raw in nasty()) {
        let specs: Vec<&FieldSpec> = customer_fields().chain(PERSON_FIELDS).chain(COMPETITOR_FIELDS).collect();
        for spec in specs {
            if spec.kind == FieldKind::Money && !amount_parsable(&raw) {
                continue;
            }
            match parse_field(spec, &raw) {
                Ok(FieldValue::Text(t)) => {
                    prop_assert!(!t.is_empty() && t.trim() == t && harmless(&t), "{}: {t:?}", spec.key);
                    prop_assert!(t.chars().count() <= 2000);
                }
                Ok(FieldValue::Money(m)) => prop_assert!(amount_is_storable(m)),
                Ok(FieldValue::Null) => prop_assert!(!spec.required),
                Ok(_) | Err(_) => {}
            }
        }
    }
}

/// False for text starting with a long run of minus signs: `parse_amount`
/// recurses once per leading `-` and overflows the stack (see
/// `a_long_run_of_minus_signs_is_refused`); the properties skip amounts there.
fn amount_parsable(text: &str) -> bool {
    text.chars().take_while(|c| matches!(c, '-' | '－') || c.is_whitespace()).count() < 200
}

/// Invisible characters would make a name differ from an equal-looking one on
/// file, past the duplicate checks (SPEC §2.3): forms and imports drop them.
#[test]
fn invisible_characters_do_not_make_a_name_new() {
    let full_name = customer_fields().find(|f| f.key == "full_name").unwrap();
    let plain = parse_field(full_name, "华信物流").unwrap();
    for hidden in
        ["\u{200B}", "\u{200D}", "\u{2060}", "\u{2062}", "\u{AD}", "\u{FEFF}", "\u{E0041}", "\u{202E}", "\u{1b}"]
    {
        assert_eq!(parse_field(full_name, &format!("华{hidden}信物流{hidden}")).unwrap(), plain, "{hidden:?}");
    }
}

/// Not negative, whole fen, and fits the i64 of fen it is stored as.
fn amount_is_storable(m: Money) -> bool {
    m.yuan() >= rust_decimal::Decimal::ZERO
        && m.yuan().normalize().scale() <= 2
        && Money::from_fen(m.to_fen()).yuan() == m.yuan()
}

#[test]
fn ten_thousand_characters_are_refused_not_choked_on() {
    let ten_k = |s: &str| s.chars().cycle().take(10_000).collect::<String>();
    for piece in ["9", "1,", "１", "万", "电", "\u{1b}[31m", "\u{202e}", "'", "%"] {
        let text = ten_k(piece);
        assert!(parse_amount(&text).is_err(), "{piece:?}");
        assert!(validate::date(&text).is_err());
        assert!(validate::phone(&text).is_err());
        assert!(validate::postal_code(&text).is_err());
        assert!(CustomerId::parse(&text).is_err());
        assert!(Month::parse(&text).is_err());
        let short_name = customer_fields().find(|f| f.key == "short_name").unwrap();
        let kept = parse_field(short_name, &text);
        assert!(!matches!(kept, Ok(FieldValue::Text(_))), "10,000 characters kept");
    }
}

/// `parse_amount("-…-5")` recurses once per leading minus sign: 10,000 of them
/// (a spreadsheet cell, a paste into an amount field) overflow the stack and
/// abort the process instead of returning `Negative` / `NotANumber`.
#[test]
fn a_long_run_of_minus_signs_is_refused() {
    let text = "-".repeat(10_000) + "5";
    assert!(parse_amount(&text).is_err());
    assert!(validate::amount(&"－".repeat(10_000)).is_err());
}

// ---------------------------------------------------------------------------
// CSV import
// ---------------------------------------------------------------------------

/// Headers the three imports know (so parsing gets past the column check), and some they do not.
#[rustfmt::skip]
const HEADERS: &[&str] = &[
    "客户编号", "客户简称", "客户全称", "责任单位", "客户经理", "地址", "邮编", "电话", "行业", "类型", "预估年收入(万元)", "姓名", "职务", "生日", "决策角色",
    "兴趣爱好", "月份", "业务种类", "收入", "收入(万元)", "函件", "帐单", "商函", "备注", "id", "name", "\u{feff}客户编号", "*客户全称",
];

/// Cells that are nearly right, so that rows reach the field checks.
#[rustfmt::skip]
const CELLS: &[&str] = &[
    "44010600001000", "４４０１０６００００１０００", "4.40106E+13", "440106 00001 000", "=\"44010600001000\"", "2026-10",
    "2026年10月", "2027-01", "函件", "商函", "1,234.50", "12.5万", "-5", "张伟", "zhangwei", "440106", "天河区分公司大客户中心",
    "commercial", "商业", "决策人", "13800138000", "510000", "1990-02-30", "",
];

fn cell() -> BoxedStrategy<String> {
    prop_oneof![
        3 => prop::sample::select(CELLS).prop_map(str::to_string),
        3 => joined(6),
        1 => nasty(),
    ]
    .boxed()
}

fn header() -> BoxedStrategy<String> {
    prop_oneof![4 => prop::sample::select(HEADERS).prop_map(str::to_string), 1 => joined(4)].boxed()
}

/// A CSV written out of `headers` and `rows`, each cell quoted or not, with a
/// separator, a line ending and an encoding picked at random.
fn table_text() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(header(), 1..8),
        prop::collection::vec(prop::collection::vec((cell(), any::<bool>()), 0..9), 0..10),
        prop::sample::select(&[",", "\t", ";"][..]),
        prop::sample::select(&["\n", "\r\n", "\r"][..]),
        0u8..4,
    )
        .prop_map(|(headers, rows, sep, end, encoding)| {
            let quote = |text: &str, quoted: bool| {
                if quoted { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
            };
            let mut text = headers.iter().map(|h| quote(h, false)).collect::<Vec<_>>().join(sep);
            for row in rows {
                text.push_str(end);
                text.push_str(&row.iter().map(|(c, q)| quote(c, *q)).collect::<Vec<_>>().join(sep));
            }
            encode(&text, encoding)
        })
}

fn encode(text: &str, encoding: u8) -> Vec<u8> {
    match encoding {
        0 => text.as_bytes().to_vec(),
        1 => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        2 => encoding_rs::GBK.encode(text).0.into_owned(),
        _ => {
            let mut bytes = vec![0xFF, 0xFE];
            bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        }
    }
}

const GBK_GLUE: &[&[u8]] = &[b",", b"\r\n", b"\"", b"\n", b"0", b"\x1b[31m"];

/// Bytes that look like GBK (lead byte 0x81–0xFE, trail 0x40–0xFE) between commas and line breaks.
fn gbk_looking() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            4 => (0x81u8..=0xFE, 0x40u8..=0xFE).prop_map(|(a, b)| vec![a, b]),
            1 => prop::sample::select(GBK_GLUE).prop_map(<[u8]>::to_vec),
            1 => any::<u8>().prop_map(|b| vec![b]),
        ],
        0..200,
    )
    .prop_map(|parts| parts.concat())
}

fn csv_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        3 => table_text(),
        1 => prop::collection::vec(any::<u8>(), 0..400),
        1 => gbk_looking(),
        1 => nasty().prop_map(String::into_bytes),
    ]
    .boxed()
}

/// The seeded organisation's reference data (units, staff, industries, service lines).
static REFERENCE: LazyLock<Reference> = LazyLock::new(|| {
    let s = Seeded::new();
    reference::load(s.conn()).expect("reference data")
});

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// Every row either passed or has problems, and the problems point at rows of the file.
fn accounts_for_every_row<T>(table: &Table, parsed: &Parsed<T>, passed: usize) -> Result<(), TestCaseError> {
    prop_assert_eq!(parsed.rows, table.rows.len());
    let lines: BTreeSet<usize> = table.rows.iter().map(|r| r.line).collect();
    let bad: BTreeSet<usize> = parsed.bad.iter().map(|b| b.line).collect();
    prop_assert!(bad.is_subset(&lines), "{bad:?} not in {lines:?}");
    if lines.len() == table.rows.len() {
        prop_assert_eq!(passed + bad.len(), table.rows.len());
    }
    Ok(())
}

fn values_are_clean(values: &std::collections::BTreeMap<&'static str, FieldValue>) -> Result<(), TestCaseError> {
    for (key, value) in values {
        if let FieldValue::Text(t) = value {
            prop_assert!(harmless(t) && t.trim() == t, "{key}: {t:?}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    /// Random bytes, GBK-looking bytes and tables of nasty cells in every
    /// encoding: the file is read or refused with a reason, each row is
    /// accounted for, and what passes holds only clean text.
    #[test]
    fn csv_import_parses_or_refuses_anything(bytes in csv_bytes()) {
        let Ok(table) = read_table(&bytes) else { return Ok(()) };
        prop_assert!(table.headers.iter().any(|h| !h.is_empty()));
        // Rows are numbered by \n only (see `rows_of_a_cr_only_file_are_numbered`).
        let numbered = decode(&bytes).is_ok_and(|(text, _)| !text.replace("\r\n", "").contains('\r'));
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        if numbered {
            prop_assert!(lines.windows(2).all(|w| w[0] < w[1]) && lines.iter().all(|&l| l >= 2), "{lines:?}");
        }
        for cell in table.headers.iter().chain(table.rows.iter().flat_map(|r| r.cells.iter())) {
            prop_assert_eq!(cell.trim(), cell.as_str());
        }
        let reference = &*REFERENCE;
        if let Ok(parsed) = customer_import::parse(&table, reference) {
            accounts_for_every_row(&table, &parsed, parsed.items.len())?;
            for row in &parsed.items {
                values_are_clean(&row.values)?;
            }
        }
        if let Ok(parsed) = person_import::parse(&table, reference) {
            accounts_for_every_row(&table, &parsed, parsed.items.len())?;
            for row in &parsed.items {
                prop_assert!(harmless(&row.name) && !row.name.is_empty(), "{:?}", row.name);
                values_are_clean(&row.values)?;
            }
        }
        if let Ok(parsed) = revenue_import::parse(&table, reference, today()) {
            let passed: BTreeSet<usize> = parsed.items.iter().map(|(line, _)| *line).collect();
            let bad: BTreeSet<usize> = parsed.bad.iter().map(|b| b.line).collect();
            prop_assert!(passed.is_disjoint(&bad));
            prop_assert!(passed.len() + bad.len() <= table.rows.len());
            for (_, item) in &parsed.items {
                let (last, amount) = match item {
                    kam::db::import::RevenueItem::Month(e) => (e.month, e.amount),
                    kam::db::import::RevenueItem::Period(e) => (e.period.last(), e.amount),
                };
                prop_assert!(last <= Month::of(today()));
                prop_assert!(amount_is_storable(amount));
            }
        }
    }
}

/// Excel for Mac saves "CSV (Macintosh)" with bare CR line ends. The reader
/// splits the rows right, but numbers them all as line 1, so a problem report
/// points at the header.
#[test]
fn rows_of_a_cr_only_file_are_numbered() {
    let table = read_table(b"a,b\r1,2\r3,4\r").unwrap();
    assert_eq!(table.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
}

fn env_as(s: &Seeded, staff: &Staff) -> CommandEnv {
    let store = s.db.reopen();
    let reference = reference::load(store.conn()).unwrap();
    CommandEnv {
        store,
        actor: actor(staff),
        reference,
        lang: Lang::Zh,
        preset: TierPreset::GuangdongScore,
        rules: StatusRules::default(),
    }
}

fn create_customer(s: &mut Seeded, short: &str, full: &str) -> CustomerId {
    let me = actor(&s.org.manager);
    let new = new_customer(short, full, s.org.unit, s.org.manager.id);
    customers::create(s.store(), &me, &new, TierPreset::GuangdongScore).expect("create customer")
}

/// The whole import (file → checks → database) as a dry run, on hostile files:
/// no panic, no error from the database, and nothing written.
#[test]
fn dry_run_imports_of_hostile_files_write_nothing() {
    let mut s = Seeded::new();
    create_customer(&mut s, "华信", "广州华信物流有限公司");
    let env = RefCell::new(env_as(&s, &s.org.supervisor));
    let tables = ["customer", "customer_profile", "key_person", "revenue", "history"];
    let before: Vec<i64> = tables.iter().map(|t| s.db.count(t)).collect();
    let kinds = [ImportKind::Customers, ImportKind::Persons, ImportKind::Revenue];
    let mut runner = TestRunner::new(config(64));
    runner
        .run(&(csv_bytes(), 0..3usize), |(bytes, kind)| {
            let outcome = import_bytes(&mut env.borrow_mut(), kinds[kind], &bytes, true);
            if let Err(e) = outcome {
                // Refusing the file is fine; a database error is not.
                let text = format!("{e:#}");
                prop_assert!(!text.contains("SQL") && !text.contains("sqlite"), "{text}");
            }
            Ok(())
        })
        .unwrap();
    let after: Vec<i64> = tables.iter().map(|t| s.db.count(t)).collect();
    assert_eq!(before, after);
}

/// A real import of names with escape sequences, bidi overrides and zero-width
/// characters stores them without those characters.
#[test]
fn imported_text_is_stored_sanitised() {
    let s = Seeded::new();
    let mut env = env_as(&s, &s.org.supervisor);
    let csv = "客户全称,客户简称,责任单位,客户经理,地址,经营范围\n\
               \"\u{1b}[31m红色物流\u{1b}[0m有限公司\",\"\u{202e}红色\u{200b}\",440106,zhangwei,\"天河路\u{7}1号\u{1b}]0;pwned\u{7}\",\"一行\r\n两行\u{9b}2J\"\n";
    let outcome = import_bytes(&mut env, ImportKind::Customers, csv.as_bytes(), false).expect("import runs");
    assert!(outcome.bad.is_empty(), "{:?}", outcome.bad);
    let stored: Vec<String> = {
        let rows: Vec<[String; 4]> = s
            .conn()
            .rows(
                "SELECT c.short_name, c.full_name, coalesce(p.address, ''), coalesce(p.business_scope, '') \
                 FROM customer c JOIN customer_profile p ON p.customer_id = c.id",
                args![],
                |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]),
            )
            .unwrap();
        rows.into_iter().flatten().collect()
    };
    assert_eq!(stored.len(), 4, "{stored:?}");
    for text in &stored {
        assert!(harmless(text), "{text:?}");
    }
    assert_eq!(stored[0], "红色");
    assert_eq!(stored[1], "[31m红色物流[0m有限公司");
}

/// What `kam import` prints about a bad file goes to the terminal: the cells and
/// headers it quotes must not carry escape sequences.
#[test]
fn import_reports_quote_cells_without_escape_sequences() {
    let s = Seeded::new();
    let mut env = env_as(&s, &s.org.supervisor);
    let csv = "客户全称,责任单位,\u{1b}[2J备注二\n甲公司,\u{1b}]0;pwned\u{7}单位,x\n";
    let outcome = import_bytes(&mut env, ImportKind::Customers, csv.as_bytes(), true).expect("import runs");
    assert!(!outcome.bad.is_empty());
    let mut printed = vec![outcome.summary(Lang::Zh, ImportKind::Customers, true)];
    printed.extend(outcome.bad.iter().map(|b| bad_row_text(Lang::Zh, b)));
    let refused = "客户编号,月份,\u{1b}[31m怪列\n";
    let problem = read_table(refused.as_bytes())
        .ok()
        .and_then(|t| revenue_import::parse(&t, &REFERENCE, today()).err())
        .expect("an unknown column refuses the file");
    printed.push(file_problem_text(Lang::Zh, &problem));
    // Line breaks between the report's lines are the report's own.
    for line in printed.iter().flat_map(|p| p.split('\n')) {
        assert!(harmless(line), "{line:?}");
    }
}

// ---------------------------------------------------------------------------
// SQL: search terms and names are data, never syntax
// ---------------------------------------------------------------------------

/// Names that are SQL, LIKE or FTS5 syntax, and decoys each would match if it
/// were taken as a pattern (`a_b` ~ `a1b`, `100%` ~ `1001`, `"quoted"` ~ `quoted`).
const LITERAL_NAMES: &[&str] = &["'; DROP TABLE customers; --", "%_", "100%", "a_b", "\"quoted\"", "NEAR(x)"];
const DECOYS: &[&str] = &["a1b", "1001", "quoted", "NEAR x", "axb", "电信帐务中心"];

struct Directory {
    s: Seeded,
    /// (ID, short name, full name) of every customer.
    customers: Vec<(String, String, String)>,
}

fn directory() -> Directory {
    let mut s = Seeded::new();
    let mut customers = Vec::new();
    for name in LITERAL_NAMES.iter().chain(DECOYS) {
        let full = format!("{name} 物流");
        let id = create_customer(&mut s, name, &full);
        customers.push((id.to_string(), name.to_string(), full));
    }
    Directory { s, customers }
}

impl Directory {
    /// What the search must find: customers whose search key holds the query as typed.
    fn literal_matches(&self, typed: &str) -> BTreeSet<String> {
        let q = normalize_query(typed);
        self.customers
            .iter()
            .filter(|(id, short, full)| search_key(&[id, short, full]).contains(&q))
            .map(|(_, short, _)| short.clone())
            .collect()
    }

    fn short_matches(&self, typed: &str) -> BTreeSet<String> {
        let q = normalize_query(typed);
        self.customers
            .iter()
            .filter(|(id, short, full)| search_starts(id, &[short, full]).contains(&q))
            .map(|(_, short, _)| short.clone())
            .collect()
    }

    fn search(&self, typed: &str) -> Result<BTreeSet<String>, kam::db::DbError> {
        let q = CustomerQuery { search: normalize_query(typed), ..Default::default() };
        let total = customers::count(self.s.conn(), &q)?;
        let rows = customers::page(self.s.conn(), &q, 0, 1000)?;
        assert_eq!(usize::try_from(total), Ok(rows.len()), "count and page agree for {typed:?}");
        Ok(rows.into_iter().map(|r| r.short_name).collect())
    }

    fn tables_intact(&self) {
        let conn = self.s.conn();
        for table in ["customer", "customer_profile", "customer_search", "history", "staff", "org_unit"] {
            let n: i64 =
                conn.row("SELECT count(*) FROM sqlite_master WHERE name = ?1", args![table], |r| r.get(0)).unwrap();
            assert_eq!(n, 1, "table {table} is still there");
        }
        assert_eq!(usize::try_from(self.s.db.count("customer")), Ok(self.customers.len()));
        let ok: String = conn.row("PRAGMA integrity_check", args![], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
    }
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[test]
fn sql_and_pattern_characters_in_names_are_found_literally() {
    let d = directory();
    // Each name finds itself and nothing else (not its decoy).
    for name in LITERAL_NAMES {
        assert_eq!(d.search(name).unwrap(), set(&[name]), "{name:?}");
    }
    assert_eq!(d.search("%").unwrap(), set(&["%_", "100%"]));
    assert_eq!(d.search("_").unwrap(), set(&["%_", "a_b"]));
    assert_eq!(d.search("'").unwrap(), set(&["'; DROP TABLE customers; --"]));
    assert_eq!(d.search("\"").unwrap(), set(&["\"quoted\""]));
    assert_eq!(d.search("%%").unwrap(), set(&[]));
    assert_eq!(d.search("a%b").unwrap(), set(&[]));
    assert_eq!(d.search("quoted").unwrap(), set(&["\"quoted\"", "quoted"]));
    // Whatever else is typed: exactly the literal matches, never an error (1–2
    // characters go through instr(), longer ones through LIKE on the trigram index).
    for typed in [
        "*",
        "(",
        ")",
        "NEAR",
        "near(",
        "AND",
        "OR",
        "NOT",
        "\\",
        "\\%",
        "'--",
        "\" OR 1=1 --",
        "a_",
        "_b",
        "0%",
        "%'",
        "''",
        "\"\"",
        "^",
        "-",
        "x)",
        "{",
        "drop table",
        "1=1",
        "quoted\"",
        ";--",
        "\u{1b}[31m",
        "\0",
        "\0\"\"",
        "\0abc",
        "quo\0ted",
        "a\0_",
    ] {
        assert_eq!(d.search(typed).unwrap(), d.literal_matches(typed), "{typed:?}");
    }
    assert_eq!(customers::find_by_name(d.s.conn(), LITERAL_NAMES[0]).unwrap().len(), 1);
    let similar = customers::similar(d.s.conn(), &format!("{} 物流", LITERAL_NAMES[0]), "", None).unwrap();
    assert_eq!(similar.len(), 1, "{similar:?}");
    d.tables_intact();
}

#[test]
fn very_long_search_terms_find_nothing_without_an_error() {
    let d = directory();
    // LIKE refuses patterns over 50,000 bytes ("LIKE or GLOB pattern too complex").
    for piece in ["电", "a", "%", "'", "\u{1b}[2J"] {
        let typed: String = piece.chars().cycle().take(20_000).collect();
        assert_eq!(d.search(&typed).unwrap(), set(&[]), "{piece:?}");
    }
    d.tables_intact();
}

#[test]
fn random_search_terms_find_exactly_the_literal_matches() {
    let d = directory();
    let mut runner = TestRunner::new(config(128));
    let typed = prop_oneof![
        3 => joined(4),
        1 => prop::sample::select(LITERAL_NAMES).prop_flat_map(|n| {
            let chars: Vec<char> = n.chars().collect();
            let len = chars.len();
            (0..len, 1..=len).prop_map(move |(a, b)| chars[a.min(b - 1)..b].iter().collect::<String>())
        }),
        1 => nasty(),
    ];
    runner
        .run(&typed, |typed| {
            let found = d.search(&typed).map_err(|e| TestCaseError::fail(format!("{typed:?}: {e}")))?;
            let expected = d.literal_matches(&typed);
            if normalize_query(&typed).is_empty() {
                prop_assert_eq!(found.len(), d.customers.len());
            } else if is_short_query(&normalize_query(&typed)) {
                // One or two characters: where the ID starts with them, or a
                // name, its initials or a syllable holds them (search_starts),
                // all literal matches of the key.
                prop_assert_eq!(&found, &d.short_matches(&typed), "{:?}", typed);
                prop_assert!(found.is_subset(&expected), "{typed:?}: {found:?} ⊄ {expected:?}");
            } else if typed.is_ascii() {
                prop_assert_eq!(found, expected, "{:?}", typed);
            } else {
                // Outside ASCII the trigram index folds case its own way; it may find more, never less.
                prop_assert!(found.is_superset(&expected), "{typed:?}: {found:?} ⊉ {expected:?}");
            }
            Ok(())
        })
        .unwrap();
    d.tables_intact();
}

// ---------------------------------------------------------------------------
// SQL is built from constants only
// ---------------------------------------------------------------------------

/// Names that hold what a user typed or a file held, in this code base.
const USER_TEXT_NAMES: &[&str] = &[
    "search",
    "term",
    "typed",
    "input",
    "cell",
    "text",
    "name",
    "names",
    "reason",
    "note",
    "content",
    "description",
    "pattern",
    "raw",
    "comment",
    "purpose",
    "value",
    "query",
];

const SQL_WORDS: &[&str] = &[
    "SELECT ",
    "INSERT INTO",
    "UPDATE ",
    "DELETE FROM",
    "CREATE ",
    "DROP ",
    "ALTER ",
    "PRAGMA ",
    " WHERE ",
    "ORDER BY",
    "VALUES",
    " LIMIT ",
    "ATTACH ",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first string literal after `at` and the rest of the macro's arguments.
fn literal_and_args(src: &str, at: usize) -> Option<(String, String)> {
    let rest = src[at..].trim_start();
    let body = rest.strip_prefix('"')?;
    let mut literal = String::new();
    let mut chars = body.char_indices();
    let mut end = body.len();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => {
                end = i + 1;
                break;
            }
            c => literal.push(c),
        }
    }
    let mut depth = 1;
    let mut in_string = false;
    let mut args = String::new();
    let mut chars = body[end..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
                continue;
            }
            '"' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            break;
        }
        args.push(c);
    }
    Some((literal, args))
}

/// A pragmatic check, not a proof: every `format!` in `src/` whose template is
/// SQL is in `db/`, puts no placeholder between quotes (`'{}'`, `LIKE '%{x}%'`),
/// and interpolates nothing named like user text. Values go in as `?N`
/// parameters; what is formatted in is column lists, table names from code,
/// placeholder numbers and WHERE clauses built the same way.
#[test]
fn sql_is_formatted_only_from_code() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut sites = 0;
    let mut bad = Vec::new();
    for file in files {
        let src = std::fs::read_to_string(&file).unwrap();
        let rel = file.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().display().to_string();
        for (at, _) in src.match_indices("format!(") {
            let Some((literal, args)) = literal_and_args(&src, at + "format!(".len()) else { continue };
            if !SQL_WORDS.iter().any(|w| literal.contains(w)) {
                continue;
            }
            sites += 1;
            let line = src[..at].lines().count();
            let compact: String = literal.chars().filter(|c| !c.is_whitespace()).collect();
            let inline: Vec<&str> = literal
                .split('{')
                .skip(1)
                .filter_map(|s| s.split_once('}').map(|(name, _)| name.split(':').next().unwrap_or("")))
                .collect();
            let words: Vec<&str> = args
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .chain(inline)
                .filter(|w| !w.is_empty())
                .collect();
            if !rel.starts_with("src/db/") && !rel.starts_with("src\\db\\") {
                bad.push(format!("{rel}:{line}: SQL built outside db/"));
            }
            if compact.contains("'{") || compact.contains("\"{") || compact.contains("%{") {
                bad.push(format!("{rel}:{line}: a value formatted between quotes: {literal:?}"));
            }
            if let Some(w) = words.iter().find(|w| USER_TEXT_NAMES.contains(w)) {
                bad.push(format!("{rel}:{line}: `{w}` formatted into SQL: {literal:?}"));
            }
        }
    }
    assert!(sites > 10, "the scan found the SQL it should ({sites})");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
