//! Marketing log storage: writing, the timeline's filters, supervisor comments
//! and what the author has not seen, quotas' inputs, history and no deletes.

use crate::common;

use common::*;
use kam::db::DbError;
use kam::db::customers;
use kam::db::marketing::{self, LogFilter, NewLogEntry};
use kam::db::sql::{Sql, args};
use kam::domain::marketing_log::{DealStage, Method, manager_quota};
use kam::domain::staff::Refusal;
use kam::domain::tier::TierPreset;

fn entry(
    customer: &kam::domain::id::CustomerId,
    day: chrono::NaiveDate,
    stage: DealStage,
    content: &str,
) -> NewLogEntry {
    NewLogEntry {
        customer_id: customer.clone(),
        logged_on: day,
        method: Method::Visit,
        stage,
        content: content.into(),
        needs: "希望降低帐单寄递资费".into(),
        cooperation: String::new(),
        satisfaction: None,
        next_step: "提交报价".into(),
        next_due: None,
        our_people: String::new(),
        their_people: String::new(),
        visit_id: None,
    }
}

#[test]
fn entries_filter_comment_and_count() {
    let mut s = Seeded::new();
    let me = actor(&s.org.manager);
    let new = new_customer("华信物流", "广州华信物流有限公司", s.org.unit, s.org.manager.id);
    let customer = customers::create(s.store(), &me, &new, TierPreset::GuangdongScore).unwrap();
    let a = marketing::write(
        s.store(),
        &me,
        &entry(&customer, date(2026, 11, 3), DealStage::InitialContact, "初次拜访,介绍帐单业务"),
    )
    .unwrap();
    marketing::write(s.store(), &me, &entry(&customer, date(2026, 11, 20), DealStage::Quotation, "提交报价单"))
        .unwrap();
    marketing::write(s.store(), &me, &entry(&customer, date(2026, 12, 1), DealStage::Agreement, "签订协议")).unwrap();

    // Empty content is refused; someone else's customer is refused.
    assert!(matches!(
        marketing::write(s.store(), &me, &entry(&customer, date(2026, 11, 4), DealStage::Quotation, "  ")),
        Err(DbError::Invalid(_))
    ));
    let other = actor(&s.org.manager2);
    assert!(matches!(
        marketing::write(s.store(), &other, &entry(&customer, date(2026, 11, 4), DealStage::Quotation, "x")),
        Err(DbError::Refused(Refusal::NotYourCustomer))
    ));

    let all = marketing::list(s.conn(), &LogFilter::default(), 50).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].content, "签订协议", "newest first");
    let quotes =
        marketing::list(s.conn(), &LogFilter { stage: Some(DealStage::Quotation), ..Default::default() }, 50).unwrap();
    assert_eq!(quotes.len(), 1);
    let november = LogFilter { from: Some(date(2026, 11, 1)), to: Some(date(2026, 11, 30)), ..Default::default() };
    assert_eq!(marketing::list(s.conn(), &november, 50).unwrap().len(), 2);
    let text = LogFilter { text: "介绍".into(), ..Default::default() };
    assert_eq!(marketing::list(s.conn(), &text, 50).unwrap().len(), 1);
    let literal = LogFilter { text: "%_".into(), ..Default::default() };
    assert!(marketing::list(s.conn(), &literal, 50).unwrap().is_empty(), "wildcards are matched literally");

    // Only a supervisor comments; the author sees new comments until marked seen.
    assert!(marketing::comment(s.store(), &me, a, Some("自己评论")).is_err());
    let boss = actor(&s.org.supervisor);
    marketing::comment(s.store(), &boss, a, Some("请尽快跟进报价")).unwrap();
    marketing::comment(s.store(), &boss, a, None).unwrap();
    let unseen = marketing::unseen_comments(s.conn(), s.org.manager.id).unwrap();
    assert_eq!(unseen.len(), 1);
    assert_eq!(unseen[0].comment, "请尽快跟进报价");
    marketing::mark_seen(s.store(), &me, unseen[0].id).unwrap();
    assert!(marketing::unseen_comments(s.conn(), s.org.manager.id).unwrap().is_empty());

    // Quotas read the month's entries per customer.
    let logs =
        marketing::counts_by_customer(s.conn(), s.org.manager.id, date(2026, 11, 1), date(2026, 11, 30)).unwrap();
    let tier = customers::load(s.conn(), &customer).unwrap().tier;
    let report = manager_quota(&[(customer.clone(), tier)], &logs, date(2026, 11, 15));
    assert_eq!(report.written_total, 2);

    // History, and nothing deleted.
    assert_eq!(count(s.conn(), "history WHERE entity = 'marketing_log' AND action = 'create'"), 3);
    assert!(s.conn().exec("DELETE FROM marketing_log", args![]).is_err());
}
