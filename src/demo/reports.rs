//! Demo analysis reports (SPEC §13.4): each supervisor's unit has the report
//! on the month before last submitted (on time, by its supervisor) and the
//! one on last month as a draft with some text written, so the report screen
//! and the Today due list have something of both states to show.

use chrono::NaiveDate;

use crate::db::analysis_report::{self, ReportKey, WrittenTexts};
use crate::db::sql::{Sql, args};
use crate::db::{Actor, DbError, Store};
use crate::domain::analysis_report::{ReportKind, WrittenPart};
use crate::domain::revenue::{Month, StatusRules};
use crate::domain::staff::{Role, Staff};

pub fn generate(store: &mut Store, today: NaiveDate) -> Result<usize, DbError> {
    let supervisors: Vec<Staff> = store.conn().rows(
        "SELECT id, login, name, unit_id FROM staff WHERE role = 'supervisor' AND status <> 'left' ORDER BY id",
        args![],
        |r| Ok(Staff { id: r.get(0)?, login: r.get(1)?, name: r.get(2)?, unit_id: r.get(3)?, role: Role::Supervisor }),
    )?;
    let last = Month::of(today).prev();
    let earlier = last.prev();
    let rules = StatusRules::default();
    let mut written = 0;
    for sup in supervisors {
        // Submitted a few days before its deadline (the 25th of last month), then the draft this morning.
        let submitted_on = NaiveDate::from_ymd_opt(last.year(), last.month(), 25).unwrap_or(today);
        let at = |d: NaiveDate, h: u32| Actor { staff: sup.clone(), at: d.and_hms_opt(h, 30, 0).unwrap_or_default() };
        let key = |month: Month| ReportKey { unit_id: sup.unit_id, kind: ReportKind::Monthly, month };
        let mut done = WrittenTexts::default();
        done.set(WrittenPart::Reasons, "收入环比基本持平,同比增长主要来自两户金融客户的账单业务。");
        done.set(
            WrittenPart::Competition,
            "快递公司在本区推出月结八折优惠,已有两户客户询价;我局以上门揽收和账单时限应对。",
        );
        done.set(WrittenPart::KeyCustomers, "白银以上客户收入稳定,一户黄金客户因系统切换减少交寄,已安排回访。");
        done.set(WrittenPart::Measures, "开展重点客户走访周,为三户客户提供专人对账;营业部经验:每周电话回访。");
        done.set(WrittenPart::Plan, "本月走访前十名客户,落实两户续约,跟进流失预警客户。");
        analysis_report::submit(store, &at(submitted_on, 16), key(earlier), &done, None, &rules)?;
        let mut draft = WrittenTexts::default();
        draft.set(WrittenPart::Competition, "同业在商务区加大上门揽收,价格未变。");
        analysis_report::save_draft(store, &at(today, 8), key(last), &draft, None)?;
        written += 2;
    }
    Ok(written)
}
