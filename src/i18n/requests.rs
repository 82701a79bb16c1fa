//! Labels of service requests' codes (SPEC §9): channels, kinds, modes,
//! areas, statuses, steps and how a request stands against its limit.

use crate::domain::request::{
    Area, DayCount, RequestChannel, RequestKind, RequestStatus, RequestStep, ServiceMode, Standing,
};

pub fn request_channel_label(c: RequestChannel) -> (&'static str, &'static str) {
    match c {
        RequestChannel::ServiceCentre => ("客户服务中心(185)", "service centre (185)"),
        RequestChannel::Call => ("致电客户经理", "call to the account manager"),
        RequestChannel::Visit => ("拜访时提出", "on a visit"),
        RequestChannel::Other => ("其他", "other"),
    }
}

pub fn request_kind_label(k: RequestKind) -> (&'static str, &'static str) {
    match k {
        RequestKind::Pickup => ("揽收", "pickup"),
        RequestKind::OnSite => ("上门服务", "on-site service"),
        RequestKind::Query => ("查询", "query"),
        RequestKind::Consultation => ("咨询", "consultation"),
        RequestKind::Other => ("其他", "other"),
    }
}

pub fn service_mode_label(m: ServiceMode) -> (&'static str, &'static str) {
    match m {
        ServiceMode::Proactive => ("主动服务", "proactive"),
        ServiceMode::OnCall => ("随呼随到", "on call"),
        ServiceMode::TimeLimited => ("限时服务", "time-limited"),
    }
}

pub fn area_label(a: Area) -> (&'static str, &'static str) {
    match a {
        Area::City => ("市内", "city"),
        Area::Rural => ("农村", "rural"),
    }
}

pub fn request_status_label(s: RequestStatus) -> (&'static str, &'static str) {
    match s {
        RequestStatus::Open => ("已受理", "open"),
        RequestStatus::Notified => ("已通知客户经理", "notified"),
        RequestStatus::InProgress => ("处理中", "in progress"),
        RequestStatus::Done => ("已办结", "done"),
        RequestStatus::Cancelled => ("已取消", "cancelled"),
    }
}

/// A step as the user asks for it (a form's title, a refusal).
pub fn request_step_label(s: RequestStep) -> (&'static str, &'static str) {
    match s {
        RequestStep::Notify => ("通知客户经理", "notify the account manager"),
        RequestStep::PhoneContact => ("记录电话联系", "record the phone contact"),
        RequestStep::Start => ("开始处理", "start"),
        RequestStep::Done => ("办结", "finish"),
        RequestStep::Cancel => ("取消", "cancel"),
    }
}

/// A line of the timeline, by its stored kind; `None` for a kind this build
/// does not know.
pub fn request_event_label(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "received" => ("受理", "received"),
        "notify" => ("通知客户经理", "account manager notified"),
        "phone_contact" => ("电话联系客户", "customer phoned"),
        "start" => ("开始处理", "started"),
        "done" => ("办结", "done"),
        "cancel" => ("取消", "cancelled"),
        _ => return None,
    })
}

/// Met, late, overdue, in time or cancelled (the time left or over is said apart).
pub fn standing_label(s: Standing) -> (&'static str, &'static str) {
    match s {
        Standing::Pending(_) => ("未超时", "in time"),
        Standing::Overdue(_) => ("超时", "overdue"),
        Standing::Met => ("按时办结", "met"),
        Standing::Late => ("超时办结", "late"),
        Standing::Cancelled => ("已取消", "cancelled"),
    }
}

pub fn day_count_label(c: DayCount) -> (&'static str, &'static str) {
    match c {
        DayCount::Calendar => ("自然日", "calendar days"),
        DayCount::Working => ("工作日", "working days"),
    }
}

/// A request's field, by storage key (its history lines).
pub fn request_field_label(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "status" => ("状态", "Status"),
        "requester" => ("请求人", "Requester"),
        "contact" => ("联系方式", "Contact"),
        "kind" => ("请求类型", "Kind"),
        "mode" => ("服务方式", "Service mode"),
        "area" => ("区域", "Area"),
        "special" => ("特殊情况", "Special case"),
        "special_reason" => ("特殊情况原因", "Why special"),
        "description" => ("请求内容", "What is asked"),
        "due_at" => ("时限", "Due"),
        "notified_at" => ("通知客户经理时间", "Notified at"),
        "phone_contact_at" => ("电话联系时间", "Phoned at"),
        "done_at" => ("办结时间", "Done at"),
        "result" => ("处理结果", "Result"),
        "cancel_reason" => ("取消原因", "Cancel reason"),
        _ => return None,
    })
}
