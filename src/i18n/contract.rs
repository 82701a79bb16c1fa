//! Labels of contracts' codes and fields (SPEC §12), in both languages.

use crate::domain::contract::{ContractKind, ContractStatus, CopyKind, Outcome, StepScope};

pub fn contract_status_label(status: ContractStatus) -> (&'static str, &'static str) {
    match status {
        ContractStatus::Draft => ("起草", "Draft"),
        ContractStatus::InApproval => ("审批中", "In approval"),
        ContractStatus::Signed => ("已签署", "Signed"),
        ContractStatus::Filed => ("已报省备案", "Filed"),
        ContractStatus::Ended => ("已终止", "Ended"),
    }
}

pub fn contract_kind_label(kind: ContractKind) -> (&'static str, &'static str) {
    match kind {
        ContractKind::Contract => ("业务合同", "Business contract"),
        ContractKind::Agreement => ("合作协议", "Cooperation agreement"),
        ContractKind::Framework => ("框架协议", "Framework agreement"),
    }
}

pub fn copy_kind_label(kind: CopyKind) -> (&'static str, &'static str) {
    match kind {
        CopyKind::Original => ("原件", "original"),
        CopyKind::Counterpart => ("正本", "counterpart"),
        CopyKind::Photocopy => ("复印件", "photocopy"),
    }
}

pub fn outcome_label(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Approved => ("同意", "approved"),
        Outcome::Refused => ("退回", "refused"),
    }
}

pub fn step_scope_label(scope: StepScope) -> (&'static str, &'static str) {
    match scope {
        StepScope::CustomerUnit => ("客户所属单位", "the customer's unit"),
        StepScope::AccessBureau => ("接入局", "the access bureau"),
        StepScope::Province => ("省公司", "the province"),
        StepScope::ProvinceBureau => ("省专业局", "the province bureau"),
    }
}

/// A step's name as read: the default chains' steps by their label, a
/// bureau's own step by the words the bureau gave it.
pub fn step_name_label(name: &str) -> Option<(&'static str, &'static str)> {
    use crate::domain::contract::step_names::*;
    Some(match name {
        CITY_SUBMISSION => ("市局呈报(附局文、合同四份)", "City bureau submits (cover letter, four copies)"),
        BUREAU_REVIEW => ("省函件集邮局各部门审核", "Province letters bureau: departments review"),
        BUREAU_LEADERS => ("省函件集邮局领导审批", "Province letters bureau: leaders approve"),
        MARKET_DEPARTMENT => (
            "省公司市场部会签(质监、运维、计财)并定稿",
            "Province market department: joint answer (quality, operations, finance)",
        ),
        BUREAU_REVISION => ("省局修改定稿,返回市局完成签署", "Province bureau revises and returns it for signing"),
        SUPERVISOR_REVIEW => ("主管审核", "Supervisor review"),
        LEADER_APPROVAL => ("分管领导审批", "Leader approval"),
        _ => return None,
    })
}

/// A contract's stored field (and a copy's), as its label reads.
pub fn contract_field_label(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "number" => ("合同编号", "Number"),
        "kind" => ("合同类型", "Kind"),
        "access_bureau" => ("接入局", "Access bureau"),
        "signing_body" => ("签约主体", "Signing body"),
        "tier" => ("签约时级别", "Tier at signing"),
        "service_lines" => ("业务种类", "Service lines"),
        "price_terms" => ("资费条款", "Price terms"),
        "discount_terms" => ("优惠折扣", "Discounts"),
        "term_length" => ("合同期限", "Term"),
        "renewal" => ("续约", "Renewal"),
        "payment" => ("付款方式", "Payment"),
        "penalties" => ("违约责任", "Penalties"),
        "value" => ("合同金额(元)", "Value (yuan)"),
        "start_on" => ("生效日期", "Starts"),
        "end_on" => ("到期日期", "Ends"),
        "status" => ("合同状态", "Status"),
        "round" => ("提交次数", "Submissions"),
        "refusal" => ("退回理由", "Refusal"),
        "signed_on" => ("签署日期", "Signed on"),
        "filed_on" => ("报省备案日期", "Filed on"),
        "ended_on" => ("终止日期", "Ended on"),
        "end_reason" => ("终止原因", "Why ended"),
        "copies" => ("份数", "Copies"),
        "sent_to" => ("送往", "Sent to"),
        "sent_on" => ("送出日期", "Sent on"),
        "contract_id" => ("合同", "Contract"),
        "note" => ("说明", "Note"),
        "steps" => ("审批流程", "Approval chain"),
        _ => return None,
    })
}

/// A step's name as read: a default step by its label, a bureau's own step
/// by its words.
pub fn step_name(lang: super::Lang, name: &str) -> String {
    step_name_label(name).map_or_else(|| name.to_string(), |l| lang.pick(l).to_string())
}

/// How far off a contract's end is, as lists say it: "30天后到期", "今天到期",
/// "已过期3天".
pub fn days_left_text(lang: super::Lang, days: i64) -> String {
    let t = lang.text();
    match days {
        0 => t.contract_ends_today.to_string(),
        n if n < 0 => super::fill(t.contract_days_over, &[&-n]),
        n => super::fill(t.contract_days_left, &[&n]),
    }
}
