//! Volume (用邮量) and returned mail (退信) on a real database (both engines):
//! cells with history, never deleted, only for those who edit the customer;
//! the imports all or nothing with every bad line named; the bureau's
//! fluctuation measure read by the monthly analysis.

use crate::common;

use common::*;
use kam::cli::ImportKind;
use kam::commands::CommandEnv;
use kam::commands::import::{bad_row_text, import_bytes};
use kam::db::analysis::{AnalysisScope, monthly};
use kam::db::revenue::{RevenueEntry, write_entries_in};
use kam::db::sql::{Sql, args};
use kam::db::volume::{
    ReturnsEntry, VolumeEntry, customer_returns, customer_volume, fluctuation_measure, set_fluctuation_measure,
    set_volume_cell, write_returns_in, write_volume_in,
};
use kam::db::{DbError, customers, reference};
use kam::domain::id::CustomerId;
use kam::domain::revenue::{Month, StatusRules};
use kam::domain::staff::{Role, Staff};
use kam::domain::tier::TierPreset;
use kam::domain::volume::{FluctuationMeasure, Returns};
use kam::i18n::Lang;

fn m(y: i32, mo: u32) -> Month {
    Month::new(y, mo).unwrap()
}

fn line_id(s: &Seeded, code: &str) -> i64 {
    s.conn().row("SELECT id FROM service_line WHERE code = ?1", args![code], |r| r.get(0)).unwrap()
}

fn reason_id(s: &Seeded, code: &str) -> i64 {
    s.conn().row("SELECT id FROM return_reason WHERE code = ?1", args![code], |r| r.get(0)).unwrap()
}

fn customer(s: &mut Seeded, name: &str) -> CustomerId {
    let m = s.org.manager.clone();
    let nc = new_customer(name, &format!("广州{name}有限公司"), s.org.unit, m.id);
    customers::create(&mut s.db.store, &actor(&m), &nc, TierPreset::GuangdongScore).unwrap()
}

fn vol(id: &CustomerId, month: Month, line: i64, pieces: u64) -> VolumeEntry {
    VolumeEntry { customer_id: id.clone(), month, service_line_id: line, pieces }
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

fn history_of(s: &Seeded, entity: &str) -> Vec<(String, Option<String>, Option<String>)> {
    s.conn()
        .rows("SELECT field, old_value, new_value FROM history WHERE entity = ?1 ORDER BY id", args![entity], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
}

#[test]
fn volume_cells_keep_their_history_and_are_never_deleted() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let letters = line_id(&s, "letters");
    let sup = actor(&s.org.supervisor);
    let counts = s.db.store.write(|tx| write_volume_in(tx, &sup, &[vol(&a, m(2026, 9), letters, 1200)])).unwrap();
    assert_eq!((counts.inserted, counts.updated, counts.unchanged), (1, 0, 0));
    // The same again changes nothing; a new count is an update with its history.
    let counts = s.db.store.write(|tx| write_volume_in(tx, &sup, &[vol(&a, m(2026, 9), letters, 1200)])).unwrap();
    assert_eq!(counts.unchanged, 1);
    set_volume_cell(&mut s.db.store, &actor(&s.org.manager), &vol(&a, m(2026, 9), letters, 1500)).unwrap();
    assert_eq!(customer_volume(s.conn(), &a, m(2026, 1), m(2026, 12)).unwrap(), [(m(2026, 9), letters, 1500)]);
    assert_eq!(history_of(&s, "volume"), [("volume:202609:letters".into(), Some("1200".into()), Some("1500".into()))]);
    assert!(s.conn().exec("DELETE FROM volume", args![]).is_err(), "volume rows are never deleted");
    // Another manager's customer is refused, and nothing is written.
    let other = actor(&s.org.manager2);
    let refused = set_volume_cell(&mut s.db.store, &other, &vol(&a, m(2026, 10), letters, 5));
    assert!(matches!(refused, Err(DbError::Refused(_))), "{refused:?}");
    assert_eq!(count(s.conn(), "volume"), 1);
}

#[test]
fn returned_mail_keeps_reasons_and_history_and_never_returns_more_than_posted() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let (unclear, refused) = (reason_id(&s, "unclear"), reason_id(&s, "refused"));
    let sup = actor(&s.org.supervisor);
    let entry = |posted, returned, reasons: Vec<(i64, u64)>| ReturnsEntry {
        customer_id: a.clone(),
        month: m(2026, 9),
        returns: Returns { posted, returned },
        reasons,
    };
    s.db.store.write(|tx| write_returns_in(tx, &sup, &[entry(500, 12, vec![(unclear, 5), (refused, 7)])])).unwrap();
    let again =
        s.db.store.write(|tx| write_returns_in(tx, &sup, &[entry(500, 12, vec![(unclear, 5), (refused, 7)])])).unwrap();
    assert_eq!(again.unchanged, 1);
    // The month's whole picture: a reason not named goes to 0.
    s.db.store.write(|tx| write_returns_in(tx, &sup, &[entry(600, 10, vec![(unclear, 10)])])).unwrap();
    let months = customer_returns(s.conn(), &a, m(2026, 1), m(2026, 12)).unwrap();
    assert_eq!(months.len(), 1);
    assert_eq!(months[0].returns, Returns { posted: 600, returned: 10 });
    assert_eq!(months[0].reasons, [(unclear, 10)]);
    let fields: Vec<String> = history_of(&s, "returned_mail").into_iter().map(|(f, _, _)| f).collect();
    assert!(fields.contains(&"returned_posted:202609".to_string()), "{fields:?}");
    assert!(fields.contains(&"returned_pieces:202609".to_string()), "{fields:?}");
    assert!(fields.contains(&"returned_reason:202609:refused".to_string()), "{fields:?}");
    // More returned than posted is refused and leaves the month as it was.
    let bad = s.db.store.write(|tx| write_returns_in(tx, &sup, &[entry(5, 6, vec![])]));
    assert!(matches!(bad, Err(DbError::Invalid(_))), "{bad:?}");
    let rate = customer_returns(s.conn(), &a, m(2026, 9), m(2026, 9)).unwrap()[0].returns.rate();
    assert_eq!(rate.map(kam::domain::volume::rate_percent).as_deref(), Some("1.67%"));
    assert!(s.conn().exec("DELETE FROM returned_mail_reason", args![]).is_err());
}

#[test]
fn a_volume_import_with_bad_lines_names_them_and_writes_nothing() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let sup = s.org.supervisor.clone();
    let file = format!(
        "客户编号,月份,函件,帐单\n{a},2026-09,1200,50\n44010699999000,2026-09,10,\n{a},2026-08,1.5,\n{a},2026-07,\"2,000\",\n"
    );
    let outcome = import_bytes(&mut env_as(&s, &sup), ImportKind::Volume, file.as_bytes(), false).unwrap();
    let lines: Vec<usize> = outcome.bad.iter().map(|b| b.line).collect();
    assert_eq!(lines, [3, 4], "{:?}", outcome.bad);
    assert!(bad_row_text(Lang::Zh, &outcome.bad[1]).contains("第 4 行"), "{}", bad_row_text(Lang::Zh, &outcome.bad[1]));
    assert_eq!(count(s.conn(), "volume"), 0, "nothing written");

    let good = format!("客户编号,月份,函件,帐单\n{a},2026-09,1200,50\n{a},2026-07,\"2,000\",\n");
    let dry = import_bytes(&mut env_as(&s, &sup), ImportKind::Volume, good.as_bytes(), true).unwrap();
    assert_eq!(dry.report.counts.inserted, 3);
    assert_eq!(count(s.conn(), "volume"), 0, "a dry run writes nothing");
    let done = import_bytes(&mut env_as(&s, &sup), ImportKind::Volume, good.as_bytes(), false).unwrap();
    assert!(done.bad.is_empty());
    assert_eq!(done.report.counts.inserted, 3);
    let again = import_bytes(&mut env_as(&s, &sup), ImportKind::Volume, good.as_bytes(), false).unwrap();
    assert_eq!((again.report.counts.inserted, again.report.counts.unchanged), (0, 3));
    // Who may import follows revenue's rules: an account manager may not.
    let manager = s.org.manager.clone();
    assert!(import_bytes(&mut env_as(&s, &manager), ImportKind::Volume, good.as_bytes(), false).is_err());
}

#[test]
fn a_returns_import_with_bad_lines_names_them_and_writes_nothing() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let sup = s.org.supervisor.clone();
    let file = format!(
        "客户编号,月份,交寄件数,退信件数,地址不详,拒收,退信率\n{a},2026-09,500,12,5,7,2.4%\n{a},2026-08,500,501,,,\n\
         {a},2026-07,100,3,2,2,\n"
    );
    let outcome = import_bytes(&mut env_as(&s, &sup), ImportKind::Returns, file.as_bytes(), false).unwrap();
    let lines: Vec<usize> = outcome.bad.iter().map(|b| b.line).collect();
    assert_eq!(lines, [3, 4], "{:?}", outcome.bad);
    assert!(bad_row_text(Lang::Zh, &outcome.bad[0]).contains("退信 501 件多于交寄 500 件"));
    assert_eq!(count(s.conn(), "returned_mail"), 0, "nothing written");
    assert_eq!(count(s.conn(), "returned_mail_reason"), 0, "nothing written");

    let good = format!("客户编号,月份,交寄件数,退信件数,地址不详,拒收\n{a},2026-09,500,12,5,7\n{a},2026-08,300,0,,\n");
    let done = import_bytes(&mut env_as(&s, &sup), ImportKind::Returns, good.as_bytes(), false).unwrap();
    assert!(done.bad.is_empty(), "{:?}", done.bad);
    assert_eq!(done.report.counts.inserted, 2);
    let again = import_bytes(&mut env_as(&s, &sup), ImportKind::Returns, good.as_bytes(), false).unwrap();
    assert_eq!((again.report.counts.inserted, again.report.counts.updated, again.report.counts.unchanged), (0, 0, 2));
    assert_eq!(count(s.conn(), "returned_mail_reason"), 2);
}

#[test]
fn the_fluctuation_rule_reads_the_measure_the_administrator_chose() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let letters = line_id(&s, "letters");
    let sup = actor(&s.org.supervisor);
    // Revenue steady (+10%), pieces up by exactly 30% in October, by 30.01% in November.
    let revenue = |month, amount: &str| RevenueEntry {
        customer_id: a.clone(),
        month,
        service_line_id: letters,
        amount: yuan(amount),
    };
    s.db.store
        .write(|tx| {
            write_entries_in(tx, &sup, &[revenue(m(2026, 9), "1000"), revenue(m(2026, 10), "1100")])?;
            write_entries_in(tx, &sup, &[revenue(m(2026, 11), "1210")])?;
            write_volume_in(tx, &sup, &[vol(&a, m(2026, 9), letters, 10_000), vol(&a, m(2026, 10), letters, 13_000)])?;
            Ok(())
        })
        .unwrap();
    let analysis = |s: &Seeded, month| monthly(s.conn(), month, AnalysisScope::All, &StatusRules::default()).unwrap();
    assert_eq!(fluctuation_measure(s.conn()).unwrap(), FluctuationMeasure::Revenue);
    assert_eq!(analysis(&s, m(2026, 10)).measure, FluctuationMeasure::Revenue);
    assert!(analysis(&s, m(2026, 10)).fluctuations.is_empty());

    // Only an administrator chooses.
    let admin = s
        .db
        .store
        .write(|tx| {
            let id = reference::insert_staff(
                tx,
                &reference::NewStaff {
                    login: Some("admin"),
                    name: "管理员",
                    unit_id: s.org.unit,
                    role: Role::Admin,
                    phone: None,
                },
            )?;
            Ok(Staff {
                id, login: Some("admin".into()), name: "管理员".into(), unit_id: s.org.unit, role: Role::Admin
            })
        })
        .unwrap();
    let refused = set_fluctuation_measure(&mut s.db.store, &sup, FluctuationMeasure::Volume);
    assert!(matches!(refused, Err(DbError::Refused(_))), "{refused:?}");
    set_fluctuation_measure(&mut s.db.store, &actor(&admin), FluctuationMeasure::Volume).unwrap();
    assert_eq!(fluctuation_measure(s.conn()).unwrap(), FluctuationMeasure::Volume);

    // Exactly 30% is not beyond the limit.
    let october = analysis(&s, m(2026, 10));
    assert_eq!(october.measure, FluctuationMeasure::Volume);
    assert!(october.fluctuations.is_empty(), "{:?}", october.fluctuations);
    // 30.01% is.
    s.db.store.write(|tx| write_volume_in(tx, &sup, &[vol(&a, m(2026, 11), letters, 16_901)])).unwrap();
    let november = analysis(&s, m(2026, 11));
    assert_eq!(november.fluctuations.len(), 1, "revenue moved 10%, pieces 30.008%");
    assert_eq!(november.fluctuations[0].pieces, Some((16_901, 13_000)));
    assert_eq!(november.fluctuations[0].change.round_dp(4), rust_decimal::Decimal::new(3001, 4));
}
