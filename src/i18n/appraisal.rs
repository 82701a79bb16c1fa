//! Labels of the appraisal's items, causes and entered kinds (SPEC §10.2).

use crate::domain::appraisal::entries::EntryKind;
use crate::domain::appraisal::score::{Cause, SheetItem, ViolationKind};

pub fn sheet_item_label(item: SheetItem) -> (&'static str, &'static str) {
    match item {
        SheetItem::MorningMeeting => ("晨会出勤", "Morning meeting"),
        SheetItem::Visits => ("客户拜访与开发", "Visits"),
        SheetItem::Training => ("培训出勤与考试", "Training"),
        SheetItem::Dossier => ("客户信息完整准确", "Customer records"),
        SheetItem::Logs => ("营销日志", "Marketing log"),
        SheetItem::Plans => ("营销计划", "Marketing plans"),
        SheetItem::Behaviour => ("工作表现", "Conduct"),
        SheetItem::LeaderTasks => ("领导交办任务", "Tasks from leaders"),
        SheetItem::Achievement => ("当月营销收入", "Month's revenue"),
    }
}

pub fn violation_label(kind: ViolationKind) -> (&'static str, &'static str) {
    match kind {
        ViolationKind::BuyingPieces => ("违规:买件", "Violation: buying pieces"),
        ViolationKind::ProhibitedItems => ("违规:收寄禁限寄物品", "Violation: prohibited items"),
        ViolationKind::LeakingData => ("违规:泄露客户资料", "Violation: leaking customer data"),
        ViolationKind::GrabbingCustomer => ("违规:抢夺他单位客户", "Violation: taking another unit's customer"),
        ViolationKind::JustifiedComplaint => ("有效投诉", "Justified complaint"),
    }
}

pub fn cause_label(cause: Cause) -> (&'static str, &'static str) {
    match cause {
        Cause::Absence => ("缺勤", "Absence"),
        Cause::Late => ("迟到早退", "Late or left early"),
        Cause::FailedExam => ("考试不合格", "Failed exam"),
        Cause::MissingVisit => ("缺少拜访", "Missing visit"),
        Cause::FaultyRecord => ("档案过期或有误", "Stale or faulty record"),
        Cause::MissingLog => ("缺少日志", "Missing log entry"),
        Cause::MissingPlan => ("缺少计划", "Missing plan"),
        Cause::Rank => ("排名", "Rank"),
        Cause::BelowStandard => ("未达月度标准", "Below the monthly standard"),
        Cause::Violation(kind) => violation_label(kind),
        Cause::LateMoney => ("逾期核减", "Late money"),
        Cause::Bonus => ("加分", "Bonus"),
    }
}

pub fn entry_kind_label(kind: EntryKind) -> (&'static str, &'static str) {
    match kind {
        EntryKind::MeetingAbsence => ("晨会缺勤", "Morning meeting: absent"),
        EntryKind::MeetingLate => ("晨会迟到早退", "Morning meeting: late"),
        EntryKind::TrainingAbsence => ("培训缺勤", "Training: absent"),
        EntryKind::TrainingLate => ("培训迟到早退", "Training: late"),
        EntryKind::FailedExam => ("考试不合格", "Failed exam"),
        EntryKind::BehaviourRank => ("工作表现排名", "Conduct rank"),
        EntryKind::LeaderTasksRank => ("领导交办任务排名", "Leader tasks rank"),
        EntryKind::ViolationBuyingPieces => violation_label(ViolationKind::BuyingPieces),
        EntryKind::ViolationProhibitedItems => violation_label(ViolationKind::ProhibitedItems),
        EntryKind::ViolationLeakingData => violation_label(ViolationKind::LeakingData),
        EntryKind::ViolationGrabbingCustomer => violation_label(ViolationKind::GrabbingCustomer),
        EntryKind::ViolationJustifiedComplaint => violation_label(ViolationKind::JustifiedComplaint),
        EntryKind::BonusCityCase => ("加分:市局通报案例", "Bonus: case circulated by the city"),
        EntryKind::BonusProvinceCase => ("加分:省公司通报案例", "Bonus: case circulated by the province"),
        EntryKind::BonusOther => ("加分:其他", "Bonus: other"),
        EntryKind::MissingPlan => ("缺少营销计划", "Missing marketing plan"),
        EntryKind::Discipline => ("违纪(扣发)", "Serious breach (pay withheld)"),
        EntryKind::PlannerWrittenPlan => ("策划:书面方案", "Planner: written plan"),
        EntryKind::PlannerResults => ("策划:方案采纳与支撑", "Planner: plans adopted and support"),
        EntryKind::PlannerAttendance => ("策划:出勤", "Planner: attendance"),
        EntryKind::PlannerResponsibility => ("策划:责任心", "Planner: responsibility"),
        EntryKind::PlannerTeamwork => ("策划:团队协作", "Planner: teamwork"),
        EntryKind::PlannerInnovation => ("策划:创新", "Planner: innovation"),
        EntryKind::PlannerInitiative => ("策划:主动性", "Planner: initiative"),
        EntryKind::PlannerCase => ("策划:案例被通报", "Planner: case circulated"),
        EntryKind::PlannedProject => ("策划项目回款", "Planned project: revenue collected"),
    }
}

pub fn post_label(post: crate::domain::appraisal::entries::Post) -> (&'static str, &'static str) {
    use crate::domain::appraisal::entries::Post;
    match post {
        Post::AccountManager => ("专职客户经理", "Account manager"),
        Post::TeamLeader => ("营销团队负责人", "Team leader"),
        Post::Planner => ("营销策划人员", "Planner"),
    }
}
