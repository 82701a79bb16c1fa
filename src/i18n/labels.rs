//! Labels for things named by code: fields, tiers, choices, roles.
//! Each returns a (zh, en) pair; `Lang::pick` chooses.

use crate::domain::staff::Role;
use crate::domain::tier::{Tier, TierPreset};
use crate::domain::visit::{ParticipantRole, VisitKind, VisitStatus};

/// The label of a dossier, key-person or competitor field (by storage key).
pub fn field_label(key: &str) -> (&'static str, &'static str) {
    match key {
        "short_name" => ("简称", "Short name"),
        "full_name" => ("全称", "Full name"),
        "kind" => ("客户性质", "Kind"),
        "stage" => ("发展阶段", "Stage"),
        "status" => ("客户状态", "Status"),
        "registration" => ("注册状态", "Registration"),
        "unit_id" => ("责任单位", "Responsible unit"),
        "owner_a" => ("客户经理(A角)", "Account manager (A)"),
        "owner_b" => ("辅助客户经理(B角)", "Assistant (B)"),
        "industry_id" => ("行业", "Industry"),
        "address" => ("地址", "Address"),
        "postal_code" => ("邮政编码", "Postal code"),
        "legal_rep" => ("负责人", "Person in charge"),
        "contact_dept" => ("对口部门", "Dealing department"),
        "contact_name" => ("联系人", "Contact"),
        "phone" => ("电话", "Phone"),
        "email" => ("电子邮箱", "Email"),
        "fax" => ("传真", "Fax"),
        "scale" => ("规模", "Scale"),
        "business_scope" => ("经营范围", "Business scope"),
        "main_products" => ("主要产品/服务", "Main products/services"),
        "services_used" => ("使用的邮政业务", "Postal services used"),
        "postal_spending" => ("用邮消费及变化", "Postal spending and trend"),
        "annual_revenue" => ("预估年用邮收入(元)", "Estimated annual revenue (yuan)"),
        "unit_revenue" => ("本单位年收入(元)", "Unit's annual revenue (yuan)"),
        "one_off" => ("一次性客户", "One-off customer"),
        "explanation" => ("说明", "Explanation"),
        "monthly_payroll" => ("月代发工资/养老金(元)", "Monthly payroll via post (yuan)"),
        "org_chart" => ("组织机构/部门", "Organisation/departments"),
        "leaders" => ("领导", "Leaders"),
        "registered_capital" => ("注册资本(元)", "Registered capital (yuan)"),
        "financial_situation" => ("财务状况", "Financial situation"),
        "business_plan" => ("经营计划", "Business plan"),
        "employees" => ("员工人数", "Employees"),
        "potential" => ("发展潜力", "Development potential"),
        "strengths" => ("优势", "Strengths"),
        "weaknesses" => ("劣势", "Weaknesses"),
        "credit" => ("资金与信用", "Funds and credit"),
        "tier" => ("级别", "Tier"),
        "tier_override" => ("人工调整级别", "Tier override"),
        "tier_override_reason" => ("调整理由", "Override reason"),
        "archived" => ("归档", "Archived"),
        "decision" => ("审批结果", "Decision"),
        "name" => ("姓名/名称", "Name"),
        "title" => ("职务", "Title"),
        "decision_role" => ("决策角色", "Decision role"),
        "birthday" => ("生日", "Birthday"),
        "ethnicity" => ("民族", "Ethnicity"),
        "marital_status" => ("婚姻状况", "Marital status"),
        "family" => ("家庭成员", "Family"),
        "education" => ("学历", "Education"),
        "interests" => ("兴趣爱好", "Interests"),
        "taboos" => ("忌讳", "Taboos"),
        "important_dates" => ("重要日子", "Important dates"),
        "competitor_ties" => ("与竞争对手关系", "Ties with competitors"),
        "product_price" => ("产品/价格", "Product/price"),
        "volume" => ("交寄量", "Volume given to them"),
        "market_share" => ("市场份额", "Market share"),
        "marketing_means" => ("营销手段", "Marketing means"),
        "personal_ties" => ("人际关系", "Personal ties"),
        "planned_at" => ("计划时间", "Planned at"),
        "done_at" => ("完成时间", "Done at"),
        "state" => ("状态", "State"),
        "purpose" => ("目的", "Purpose"),
        "business" => ("经营情况", "Business"),
        "opinions" => ("意见建议", "Opinions"),
        "problems" => ("问题及解决办法", "Problems and solutions"),
        "new_needs" => ("新需求", "New needs"),
        "next_step" => ("下一步", "Next step"),
        "next_due" => ("下一步期限", "Next step due"),
        "cancel_reason" => ("取消原因", "Cancel reason"),
        "requester" => ("请求人", "Requester"),
        "special_reason" => ("特殊情况原因", "Why special"),
        "duration_min" => ("时长(分钟)", "Duration (minutes)"),
        "owner_id" => ("负责人", "Owner"),
        "handler_id" => ("处理人", "Handler"),
        "department" => ("责任部门", "Department"),
        "deadline" => ("时限", "Deadline"),
        "result" => ("处理结果", "Result"),
        "satisfaction" => ("满意度", "Satisfaction"),
        "team" => ("跨部门小组", "Team"),
        "follow_up" => ("按月跟踪", "Follow-up"),
        "severity" => ("严重程度", "Severity"),
        "category" => ("类别", "Category"),
        "description" => ("内容", "Description"),
        "complainant" => ("投诉人", "Complainant"),
        "note" => ("说明", "Note"),
        "closed_at" => ("关闭时间", "Closed at"),
        "logged_on" => ("日期", "Date"),
        "method" => ("沟通方式", "Method"),
        "content" => ("沟通内容", "Content"),
        "needs" => ("客户需求", "Needs"),
        "cooperation" => ("合作情况", "Cooperation"),
        _ => ("?", "?"),
    }
}

/// The label of a choice code (kind, stage, status, registration, decision role).
pub fn choice_label(code: &str) -> (&'static str, &'static str) {
    match code {
        "commercial" => ("商业性", "commercial"),
        "policy" => ("政策性", "policy"),
        "target" => ("目标客户", "target"),
        "developing" => ("开发中", "in development"),
        "signed" => ("已签约", "signed"),
        "maintained" => ("维护中", "maintained"),
        "lost" => ("已流失", "lost"),
        "normal" => ("正常", "normal"),
        "watch" => ("关注", "watch"),
        "warning" => ("预警", "warning"),
        "churned" => ("流失", "churned"),
        "pending" => ("待审批", "pending"),
        "approved" => ("已批准", "approved"),
        "rejected" => ("已驳回", "rejected"),
        "decision_maker" => ("决策者", "decision maker"),
        "handler" => ("经办人", "handler"),
        "finance" => ("财务负责人", "finance"),
        "other" => ("其他", "other"),
        _ => ("?", "?"),
    }
}

pub fn tier_label(tier: Tier) -> (&'static str, &'static str) {
    match tier {
        Tier::Diamond => ("钻石", "Diamond"),
        Tier::Platinum => ("白金", "Platinum"),
        Tier::Gold => ("黄金", "Gold"),
        Tier::Silver => ("白银", "Silver"),
        Tier::Vip => ("贵宾", "VIP"),
        Tier::General => ("一般", "General"),
        Tier::District => ("区局级", "District"),
        Tier::Company => ("专业分公司级", "Company"),
        Tier::Branch => ("支局级", "Branch"),
        Tier::Unranked => ("未分级", "Unranked"),
    }
}

pub fn preset_label(preset: TierPreset) -> (&'static str, &'static str) {
    match preset {
        TierPreset::GuangdongScore => ("广东指导意见评分", "Guangdong guideline score"),
        TierPreset::Shantou => ("汕头分档评分", "Shantou bracket score"),
        TierPreset::LetterBands => ("广东函件收入分档", "Guangdong letter-mail bands"),
        TierPreset::Shibei => ("上海市北管理层级", "Shanghai Shibei levels"),
    }
}

pub fn role_label(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Manager => ("客户经理", "Account manager"),
        Role::Supervisor => ("主管", "Supervisor"),
        Role::Admin => ("客户管理员", "Administrator"),
        Role::Leader => ("领导", "Leader"),
    }
}

/// A unit's level in the tree (SPEC §1).
pub fn unit_level_label(level: crate::domain::org::UnitLevel) -> (&'static str, &'static str) {
    use crate::domain::org::UnitLevel;
    match level {
        UnitLevel::Province => ("省局", "province"),
        UnitLevel::City => ("市局", "city"),
        UnitLevel::County => ("区县局", "district"),
        UnitLevel::Bureau => ("专业局", "specialised bureau"),
        UnitLevel::Branch => ("支局", "branch"),
    }
}

/// The label of a field of a unit, industry or service line in its history.
pub fn setup_field_label(key: &str) -> (&'static str, &'static str) {
    match key {
        "code" => ("代码", "Code"),
        "name" => ("名称", "Name"),
        "kind" => ("级别", "Level"),
        "parent" => ("上级单位", "Parent unit"),
        "division_code" => ("行政区划代码", "Division code"),
        "archived" => ("归档", "Archived"),
        "name_zh" => ("中文名称", "Chinese name"),
        "name_en" => ("英文名称", "English name"),
        _ => ("?", "?"),
    }
}

pub fn visit_kind_label(kind: VisitKind) -> (&'static str, &'static str) {
    match kind {
        VisitKind::InPerson => ("上门拜访", "In-person visit"),
        VisitKind::Phone => ("电话短信", "Phone/SMS"),
        VisitKind::HolidayGreeting => ("节日祝贺", "Holiday greeting"),
        VisitKind::SeniorVisit => ("高层拜访", "Senior visit"),
        VisitKind::Exchange => ("交流联谊", "Exchange activity"),
        VisitKind::Gift => ("礼品馈赠", "Gift"),
        VisitKind::Survey => ("满意度调查", "Satisfaction survey"),
    }
}

pub fn visit_status_label(status: VisitStatus) -> (&'static str, &'static str) {
    match status {
        VisitStatus::Planned => ("计划", "planned"),
        VisitStatus::Done => ("已完成", "done"),
        VisitStatus::Cancelled => ("已取消", "cancelled"),
        VisitStatus::Overdue => ("逾期", "overdue"),
    }
}

pub fn participant_label(role: ParticipantRole) -> (&'static str, &'static str) {
    match role {
        ParticipantRole::AccountManager => ("客户经理", "account manager"),
        ParticipantRole::Supervisor => ("主管", "supervisor"),
        ParticipantRole::Leader => ("局领导", "leader"),
    }
}

pub fn complaint_category_label(c: crate::domain::complaint::Category) -> (&'static str, &'static str) {
    use crate::domain::complaint::Category::*;
    match c {
        Delay => ("延误", "delay"),
        LossDamage => ("丢失损毁", "loss/damage"),
        WrongAddress => ("地址/邮编错误", "wrong address"),
        ReturnedMail => ("退件", "returned mail"),
        Billing => ("计费", "billing"),
        ServiceAttitude => ("服务态度", "service attitude"),
        Other => ("其他", "other"),
    }
}

pub fn complaint_state_label(s: crate::domain::complaint::ComplaintState) -> (&'static str, &'static str) {
    use crate::domain::complaint::ComplaintState::*;
    match s {
        Received => ("已受理", "received"),
        Assigned => ("已转客户经理", "assigned"),
        InProgress => ("处理中", "in progress"),
        Escalated => ("已上报主管", "escalated"),
        Resolved => ("已解决", "resolved"),
        Confirmed => ("已确认满意度", "satisfaction confirmed"),
        Closed => ("已关闭", "closed"),
    }
}

pub fn channel_label(c: crate::domain::complaint::Channel) -> (&'static str, &'static str) {
    use crate::domain::complaint::Channel::*;
    match c {
        Phone => ("电话", "phone"),
        Hotline => ("服务热线", "service hotline"),
        Visit => ("来访", "visit"),
        Letter => ("信函", "letter"),
        Email => ("电子邮件", "email"),
        Other => ("其他", "other"),
    }
}

pub fn severity_label(s: crate::domain::complaint::Severity) -> (&'static str, &'static str) {
    use crate::domain::complaint::Severity::*;
    match s {
        Low => ("一般", "low"),
        Normal => ("较重", "normal"),
        High => ("严重", "high"),
    }
}

pub fn locality_label(l: crate::domain::complaint::Locality) -> (&'static str, &'static str) {
    use crate::domain::complaint::Locality::*;
    match l {
        City => ("市区客户(当天办结)", "city customer (same day)"),
        Rural => ("农村客户(2天内)", "rural customer (2 days)"),
        Special => ("特殊情况(先电话,3天内)", "special case (call first, 3 days)"),
    }
}

pub fn transition_label(t: crate::domain::complaint::Transition) -> (&'static str, &'static str) {
    use crate::domain::complaint::Transition::*;
    match t {
        Assign => ("转交客户经理", "assign to the account manager"),
        Start => ("开始处理", "start handling"),
        Escalate => ("上报主管", "escalate to the supervisor"),
        Resolve => ("处理完毕", "resolved"),
        ConfirmSatisfaction(s) => match s {
            crate::domain::complaint::Satisfaction::Satisfied => ("确认:满意", "confirm: satisfied"),
            crate::domain::complaint::Satisfaction::BasicallySatisfied => {
                ("确认:基本满意", "confirm: basically satisfied")
            }
            crate::domain::complaint::Satisfaction::Unsatisfied => ("确认:不满意", "confirm: unsatisfied"),
        },
        Close => ("关闭", "close"),
        Reopen => ("重新处理", "reopen"),
        CloseUnsatisfied => ("主管决定结案(客户不满意)", "close unsatisfied (supervisor decides)"),
    }
}

/// One record of a customer's, as its history lines name it ("拜访 #28").
pub fn record_label(entity: &str) -> Option<(&'static str, &'static str)> {
    Some(match entity {
        "key_person" => ("重要人士", "Key person"),
        "competitor" => ("竞争对手", "Competitor"),
        "visit" => ("拜访", "Visit"),
        "complaint" => ("投诉", "Complaint"),
        "marketing_log" => ("营销日志", "Log entry"),
        "service_request" => ("服务请求", "Service request"),
        "contract" => ("合同", "Contract"),
        "contract_copy" => ("合同份数", "Contract copies"),
        "contract_chain" => ("合同审批流程", "Contract approval chain"),
        _ => return None,
    })
}

/// A table of the database, as `kam migrate` counts its rows.
pub fn table_label(table: &str) -> Option<(&'static str, &'static str)> {
    Some(match table {
        "org_unit" => ("单位", "Units"),
        "contract_chain" => ("合同审批流程", "Contract approval chains"),
        "contract" => ("合同协议", "Contracts"),
        "contract_step" => ("合同审批步骤", "Contract approval steps"),
        "contract_copy" => ("合同份数与去向", "Contract copies sent"),
        "staff" => ("人员", "Staff"),
        "industry" => ("行业", "Industries"),
        "service_line" => ("业务种类", "Service lines"),
        "tier_preset" => ("分级方案", "Tier presets"),
        "customer" => ("客户", "Customers"),
        "customer_profile" => ("客户档案", "Dossiers"),
        "customer_search" => ("客户搜索键", "Search keys"),
        "customer_prefix" => ("客户短搜索键", "Short search keys"),
        "registration" => ("注册申报", "Registrations"),
        "key_person" => ("相关重要人士", "Key persons"),
        "competitor" => ("竞争对手", "Competitors"),
        "history" => ("历史记录", "History rows"),
        "history_chain" => ("历史记录哈希链", "History links"),
        "history_acted" => ("代为操作记录", "Acted-for notes"),
        "visit_series" => ("周期拜访", "Visit series"),
        "visit" => ("拜访", "Visits"),
        "visit_staff" => ("拜访参与人员", "Visit participants"),
        "visit_person" => ("拜访对象", "Persons visited"),
        "person_occasion" => ("纪念日", "Occasion days"),
        "marketing_log" => ("营销日志", "Log entries"),
        "log_comment" => ("日志批注", "Log comments"),
        "complaint" => ("投诉", "Complaints"),
        "complaint_event" => ("投诉处理记录", "Complaint events"),
        "revenue" => ("收入记录", "Revenue cells"),
        "revenue_month" => ("客户月收入合计", "Monthly customer totals"),
        "revenue_unit_line" => ("单位业务收入合计", "Unit totals per line"),
        // analysis sums (issue 19)
        "customer_tally" => ("单位客户数合计", "Customer counts per unit"),
        "revenue_unit_tier" => ("单位分级收入合计", "Unit totals per tier"),
        "revenue_run" => ("客户有收入月份", "Customer months with revenue"),
        "unit_revenue" => ("单位总收入", "Unit revenue"),
        "revenue_period" => ("未分月收入(期间合计)", "Revenue by period (not split by month)"),
        "unit_revenue_period" => ("单位未分月收入(期间合计)", "Unit revenue by period (not split by month)"),
        "fluctuation_note" => ("收入波动说明", "Fluctuation notes"),
        "volume" => ("用邮量记录", "Volume cells"),
        "return_reason" => ("退信原因", "Return reasons"),
        "returned_mail" => ("退信记录", "Returned mail"),
        "returned_mail_reason" => ("退信原因件数", "Returned pieces by reason"),
        "analysis_report" => ("经营分析报告", "Analysis reports"),
        "appraisal_rules" => ("考核办法", "Appraisal rules"),
        "appraisal_terms" => ("考核基数与任务", "Appraisal terms"),
        "appraisal_entry" => ("考核记录", "Appraisal entries"),
        "appraisal_close" => ("月末考核结账", "Appraisal month ends"),
        "appraisal_sheet" => ("冻结的考核表", "Frozen appraisal sheets"),
        "receivable" => ("应收未收", "Receivables"),
        "goal_target" => ("目标指标年度目标", "Goal targets"),
        "service_request" => ("服务请求", "Service requests"),
        "service_request_event" => ("服务请求处理记录", "Service request events"),
        "marketing_plan" => ("营销计划", "Marketing plans"),
        "service_plan" => ("年度服务计划", "Service plans"),
        "industry_rank" => ("分类排序表", "Industry ranking tables"),
        "prospect_step" => ("开发流程", "Development pipeline"),
        "setting" => ("设置", "Settings"),
        _ => return None,
    })
}

/// A goal indicator of SPEC §15 by its name in the bureau's tables.
pub fn goal_indicator_label(indicator: crate::domain::appraisal::goals::GoalIndicator) -> (&'static str, &'static str) {
    use crate::domain::appraisal::goals::GoalIndicator;
    match indicator {
        GoalIndicator::RevenueShare => ("用邮收入比重", "Revenue share"),
        GoalIndicator::DevelopmentRate => ("开辟率", "Development rate"),
        GoalIndicator::RetentionRate => ("巩固率", "Retention rate"),
        GoalIndicator::DossierCompleteness => ("档案资料完整率", "Dossier completeness"),
        GoalIndicator::NewKeyCustomers => ("年度新增大客户", "New key customers"),
        GoalIndicator::PlanProgress => ("计划进度", "Plan progress"),
        GoalIndicator::ServiceMetRate => ("限时服务达标率", "Time-limited service met"),
    }
}

/// The formula an indicator was computed by, by its key
/// (`domain::appraisal::goals::Indicator::formula`): the bureau's choice,
/// shown beside the figure.
pub fn goal_formula_label(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "goal-formula.revenue-share" => {
            ("大客户用邮收入 ÷ 本单位用邮总收入", "key customers' revenue ÷ the unit's revenue")
        }
        "goal-formula.development.new-over-prospects" => {
            ("年内新增大客户 ÷ 年内申报开发的目标客户", "new key customers ÷ prospects filed this year")
        }
        "goal-formula.development.new-over-start" => {
            ("年内新增大客户 ÷ 年初大客户数", "new key customers ÷ key customers at the year's start")
        }
        "goal-formula.retention.customers-kept" => (
            "期初大客户中期末仍为大客户的户数 ÷ 期初大客户数",
            "key customers at the start still key ÷ those at the start",
        ),
        "goal-formula.retention.revenue-kept" => (
            "期初大客户本期用邮收入 ÷ 其上年同期收入",
            "revenue of the key customers at the start ÷ theirs a year earlier",
        ),
        "goal-formula.dossier.complete-dossiers" => {
            ("档案必填项齐全的大客户 ÷ 大客户数", "key customers with complete dossiers ÷ key customers")
        }
        "goal-formula.dossier.filled-fields" => {
            ("已填的必填项 ÷ 必填项总数", "required dossier fields filled ÷ required dossier fields")
        }
        "goal-formula.new-key-customers" => {
            ("年内成为大客户的户数 / 期末大客户数", "customers that became key this year / key customers")
        }
        "goal-formula.plan-progress" => (
            "年初至今大客户收入 ÷ 年度计划(对照序时进度)",
            "key customers' revenue this year ÷ the yearly plan (against the pace)",
        ),
        "goal-formula.service-met-rate" => {
            ("按时办结的限时服务 ÷ 已办结的限时服务", "time-limited requests met in time ÷ requests closed")
        }
        _ => return None,
    })
}

/// A complaint's state as the user should read it: a confirmation or a close
/// over the customer's dissatisfaction never reads like a satisfied one.
pub fn complaint_status_label(
    state: crate::domain::complaint::ComplaintState,
    satisfaction: Option<crate::domain::complaint::Satisfaction>,
) -> (&'static str, &'static str) {
    use crate::domain::complaint::{ComplaintState, Satisfaction};
    match (state, satisfaction) {
        (ComplaintState::Confirmed, Some(Satisfaction::Unsatisfied)) => ("客户不满意", "customer unsatisfied"),
        (ComplaintState::Closed, Some(Satisfaction::Unsatisfied)) => ("不满意结案", "closed unsatisfied"),
        _ => complaint_state_label(state),
    }
}

/// What a step of a complaint's timeline was, by its stored kind (a
/// transition's code or one of the other events); `None` for a kind this
/// build does not know.
pub fn complaint_event_label(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "received" => ("登记投诉", "filed"),
        "assign" => ("转交客户经理", "assigned to the account manager"),
        "start" => ("开始处理", "handling started"),
        "escalate" => ("上报主管", "escalated to the supervisor"),
        "resolve" => ("处理完毕", "resolved"),
        "confirm" => ("确认满意度", "satisfaction confirmed"),
        "close" => ("结案", "closed"),
        "reopen" => ("重新处理", "reopened"),
        "close_unsatisfied" => ("主管决定结案", "closed by the supervisor's decision"),
        "phone_contact" => ("电话联系客户", "phoned the customer"),
        "team" => ("组成跨部门小组", "team named"),
        "follow_up" => ("跟踪记录", "follow-up note"),
        "impact_cleared" => ("影响已消除", "impact cleared"),
        _ => return None,
    })
}

pub fn method_label(m: crate::domain::marketing_log::Method) -> (&'static str, &'static str) {
    use crate::domain::marketing_log::Method::*;
    match m {
        Visit => ("拜访", "visit"),
        Phone => ("电话", "phone"),
        Meeting => ("会议", "meeting"),
        Email => ("邮件", "email"),
        Other => ("其他", "other"),
    }
}

pub fn stage_label(s: crate::domain::marketing_log::DealStage) -> (&'static str, &'static str) {
    use crate::domain::marketing_log::DealStage::*;
    match s {
        InitialContact => ("初次接触", "initial contact"),
        ProposalNegotiation => ("协谈方案", "proposal negotiation"),
        Quotation => ("报价", "quotation"),
        Agreement => ("达成协议/签合同", "agreement/contract"),
    }
}

/// A marketing plan's status (营销计划).
pub fn plan_status_label(s: crate::domain::plan::PlanStatus) -> (&'static str, &'static str) {
    use crate::domain::plan::PlanStatus;
    let (zh, en) = (&super::table::ZH, &super::table::EN);
    match s {
        PlanStatus::Draft => (zh.plan_status_draft, en.plan_status_draft),
        PlanStatus::Submitted => (zh.plan_status_submitted, en.plan_status_submitted),
        PlanStatus::Reviewed => (zh.plan_status_reviewed, en.plan_status_reviewed),
        PlanStatus::Returned => (zh.plan_status_returned, en.plan_status_returned),
    }
}

pub fn satisfaction_label(s: crate::domain::complaint::Satisfaction) -> (&'static str, &'static str) {
    use crate::domain::complaint::Satisfaction::*;
    match s {
        Satisfied => ("满意", "satisfied"),
        BasicallySatisfied => ("基本满意", "basically satisfied"),
        Unsatisfied => ("不满意", "unsatisfied"),
    }
}

/// Weekday names, Monday first.
pub fn weekday_label(i: usize) -> (&'static str, &'static str) {
    const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    (ZH[i % 7], EN[i % 7])
}

/// The seeded return reasons by code (the administrator's own are shown as named).
pub fn return_reason_label(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "unclear" => ("地址不详", "Address unclear"),
        "unknown" => ("查无此人", "Addressee unknown"),
        "refused" => ("拒收", "Refused"),
        "moved" => ("迁移新址不明", "Moved, no forwarding address"),
        "other" => ("其他", "Other"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dossier::{
        COMPETITOR_FIELDS, CUSTOMER_KINDS, DECISION_ROLES, PERSON_FIELDS, STAGES, STATUSES, customer_fields,
    };

    #[test]
    fn every_field_and_choice_has_a_label() {
        let keys = customer_fields().chain(PERSON_FIELDS).chain(COMPETITOR_FIELDS).map(|f| f.key);
        for key in keys {
            assert_ne!(field_label(key).0, "?", "{key}");
        }
        for code in CUSTOMER_KINDS.iter().chain(STAGES).chain(STATUSES).chain(DECISION_ROLES) {
            assert_ne!(choice_label(code).0, "?", "{code}");
        }
    }

    /// Whatever formula the bureau chose, its text is there in both languages.
    #[test]
    fn every_goal_formula_the_bureau_may_choose_has_its_text() {
        use crate::domain::appraisal::goals::*;
        let inputs = GoalInputs::default();
        let mut keys: Vec<&str> =
            goal_indicators(&GoalFormulas::default(), &inputs).iter().map(|i| i.formula).collect();
        for formula in [DevelopmentFormula::NewOverProspects, DevelopmentFormula::NewOverStart] {
            keys.push(development_rate(formula, &inputs).formula);
        }
        for formula in [RetentionFormula::CustomersKept, RetentionFormula::RevenueKept] {
            keys.push(retention_rate(formula, &inputs).formula);
        }
        for formula in [DossierFormula::CompleteDossiers, DossierFormula::FilledFields] {
            keys.push(dossier_completeness(formula, &inputs).formula);
        }
        for key in keys {
            let (zh, en) = goal_formula_label(key).unwrap_or_else(|| panic!("{key} has no text"));
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{key}");
        }
    }
}
