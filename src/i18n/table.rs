//! The fixed UI strings. `{}`-style holes are filled with `fill`.

macro_rules! texts {
    ($($key:ident: $zh:expr, $en:expr;)*) => {
        /// One language's UI strings.
        #[derive(Debug)]
        pub struct Text { $(pub $key: &'static str,)* }
        pub static ZH: Text = Text { $($key: $zh,)* };
        pub static EN: Text = Text { $($key: $en,)* };
        /// (key, zh, en) of every string, for checks.
        #[cfg(test)]
        pub const ALL: &[(&str, &str, &str)] = &[$((stringify!($key), $zh, $en),)*];
    };
}

texts! {
    app_name: "大客户管理", "Key accounts";
    screen_customers: "客户列表", "Customers";
    screen_dossier: "客户档案", "Dossier";
    col_id: "客户编号", "ID";
    col_short_name: "简称", "Short name";
    col_tier: "级别", "Tier";
    col_status: "状态", "Status";
    col_industry: "行业", "Industry";
    col_owner: "客户经理(A)", "Owner (A)";
    col_unit: "责任单位", "Unit";
    col_fresh: "档案", "Dossier";
    stale: "过期", "stale";
    fresh: "正常", "ok";
    pending_mark: "待审", "pending";
    rejected_mark: "已驳回", "rejected";
    archived_mark: "已归档", "archived";
    search_prompt: "搜索", "Search";
    search_hint: "编号、名称、拼音或首字母", "ID, name, pinyin or initials";
    no_customers: "没有符合条件的客户", "No customers match";
    count_of: "共 {} 户", "{} customers";
    sorted_by: "排序", "sort";
    filters: "筛选", "filter";
    filter_mine: "我的", "mine";
    filter_pending: "待审注册", "pending registration";
    filter_stale: "档案过期", "stale dossiers";
    filter_archived: "含归档", "incl. archived";
    filter_none: "无", "none";
    tab_basic: "基本信息", "Basic";
    tab_extended: "扩展信息", "Extended";
    tab_persons: "重要人士", "Key persons";
    tab_competitors: "竞争对手", "Competitors";
    tab_visits: "拜访", "Visits";
    tab_branches: "分支机构", "Branches";
    tab_history: "变更记录", "History";
    tier_heading: "客户级别", "Tier";
    tier_preset_label: "分级方案", "Preset";
    tier_points: "得分", "Points";
    tier_revenue_part: "收入得分", "Revenue points";
    tier_share_part: "占比得分", "Share points";
    tier_share: "占本单位收入", "Share of unit revenue";
    retier_count: "共 {} 个客户级别将变化", "{} customers change tier";
    retier_dry_run: "未写入。确认后加 --apply 执行（记录历史）。", "Nothing written. Add --apply to write it (with history).";
    retier_applied: "已更新 {} 个客户的级别，变更已记入历史。", "{} customers re-tiered; the changes are in the history.";
    tier_ledger_revenue: "{}至{}收入", "Revenue {} to {}";
    tier_unit_revenue: "单位收入", "Unit revenue";
    tier_unit_by_months: "按月合计", "sum of months";
    tier_unit_by_year: "{}年度", "year {}";
    tier_unit_missing: "单位收入未录入，占比计0分", "unit revenue not entered: share scores 0";
    tier_next: "距{}还差收入 {} 元", "To reach {}: {} more yuan of revenue";
    tier_top: "已是最高级别", "Already the top tier";
    tier_next_unreachable: "仅靠收入无法升级(缺少单位收入)", "Revenue alone cannot lift it (no unit revenue)";
    tier_override: "人工调整为", "Overridden to";
    tier_override_reason: "调整理由", "Reason";
    tier_computed: "计算级别", "Computed tier";
    last_updated: "档案更新于", "Dossier updated";
    next_due: "下次应更新", "next update due";
    stale_warning: "档案已过期,请更新", "Dossier is stale: please update it";
    registration: "注册审批", "Registration";
    registration_pending: "待主管审批", "awaiting a supervisor's approval";
    registration_approved: "已批准", "approved";
    registration_rejected: "已驳回", "rejected";
    no_records: "暂无记录", "Nothing recorded yet";
    archived_shown: "(含已归档)", "(archived shown)";
    history_created: "创建", "created";
    history_field: "字段", "Field";
    history_when: "时间", "When";
    history_who: "操作人", "Who";
    history_change: "原值 → 新值", "Old → new";
    form_new_customer: "新建客户(注册申报)", "New customer (registration)";
    form_new_branch: "新建分支机构", "New branch";
    form_edit: "编辑", "Edit";
    form_new_person: "新增重要人士", "New key person";
    form_new_competitor: "新增竞争对手", "New competitor";
    form_override: "调整客户级别", "Override tier";
    form_decide: "审批注册", "Decide registration";
    form_division: "行政区划代码", "Division code";
    form_reason: "申报理由", "Reason for registering";
    form_note: "审批意见", "Note";
    form_tier: "级别", "Tier";
    form_hint: "Tab/↓ 下一项 · ←/→ 选择 · Ctrl-S 保存 · Esc 取消", "Tab/↓ next · ←/→ choose · Ctrl-S save · Esc cancel";
    form_has_errors: "有 {} 项需要更正,内容已保留", "{} fields need correcting; nothing you typed was lost";
    form_saved: "已保存", "Saved";
    form_unchanged: "没有修改", "Nothing changed";
    form_discard: "放弃修改?再按 Esc 确认", "Discard your changes? Press Esc again";
    dup_warning: "可能重复的客户,再按 Ctrl-S 仍然保存:", "Possible duplicates; press Ctrl-S again to save anyway:";
    dup_same_name: "同名", "same name";
    dup_similar_name: "名称相近", "similar name";
    dup_same_address: "同地址", "same address";
    conflict_title: "{} 在 {} 修改了这条记录", "{} changed this record at {}";
    conflict_body: "以下字段被他人修改,您的输入已保留。Ctrl-S 用您的内容覆盖,Esc 返回编辑。", "These fields were changed by someone else; what you typed is kept. Ctrl-S overwrites with yours, Esc returns to editing.";
    conflict_someone: "他人", "Someone";
    created_customer: "已创建客户 {},等待主管审批注册", "Created customer {}; its registration awaits a supervisor";
    archived_done: "已归档", "Archived";
    restored_done: "已恢复", "Restored";
    confirm_archive: "归档 {}?按 y 确认,其他键取消", "Archive {}? Press y to confirm, any other key cancels";
    decided: "已处理注册", "Registration decided";
    refused: "不允许:{}", "Not allowed: {}";
    err_busy: "数据库正忙(其他用户正在写入),请稍后再试;您的输入已保留", "The database is busy (another user is writing); try again, nothing was lost";
    err_db: "数据库错误:{}", "Database error: {}";
    err_not_found: "记录不存在", "Record not found";
    help_title: "快捷键", "Keys";
    help_close: "按任意键关闭", "Press any key to close";
    help_hint: "? 帮助", "? help";
    too_small: "窗口太小,请放大", "Window too small";
    user_label: "用户", "User";
    role_manager: "客户经理", "Account manager";
    role_supervisor: "主管", "Supervisor";
    role_admin: "客户管理员", "Administrator";
    role_leader: "领导", "Leader";
    refusal_not_yours: "只有该客户的客户经理或主管可以修改", "only the customer's account managers or a supervisor may change it";
    refusal_supervisor: "只有主管可以审批或调整级别", "only a supervisor may decide this";
    refusal_read_only: "领导角色只能查看", "leaders read only";
    refusal_records_keeper: "只有主管或客户管理员可以执行此操作", "only a supervisor or a customer administrator may do this";
    err_required: "必填", "Required";
    err_postal_code: "邮政编码须为6位数字", "A postal code is 6 digits";
    err_phone: "电话格式不对(手机11位,或区号-号码)", "Not a phone number (11-digit mobile, or area code-number)";
    err_email: "邮箱格式不对,例如 name@example.com", "Not an email address, e.g. name@example.com";
    err_amount: "金额格式不对,例如 12345.67 或 12.5万", "Not an amount, e.g. 12345.67 or 12.5万";
    err_amount_negative: "金额不能为负", "An amount cannot be negative";
    err_amount_decimals: "金额最多两位小数(分)", "At most 2 decimals (fen)";
    err_amount_large: "金额太大", "Amount too large";
    err_date: "日期不对,例如 2026-11-23", "Not a real date, e.g. 2026-11-23";
    err_count: "请填整数", "Enter a whole number";
    err_too_long: "太长(最多 {} 字)", "Too long (at most {} characters)";
    err_not_in_list: "请从列表中选择", "Choose from the list";
    err_division: "行政区划代码须为6位数字,如 440106", "A division code is 6 digits, e.g. 440106";
    err_id: "客户编号须为14位数字", "A customer ID is 14 digits";
    err_id_full: "该区划或总部的编号已用完", "No IDs left in this division or under this headquarters";
    screen_today: "今日", "Today";
    screen_calendar: "拜访日历", "Visit calendar";
    nav_hint: "1今日 2客户 3日历 4达标 5投诉 6日志", "1 Today 2 Cust 3 Cal 4 Std 5 Compl 6 Log";
    view_month: "月", "month";
    view_week: "周", "week";
    view_agenda: "日程", "agenda";
    scope_mine: "我的", "mine";
    scope_unit: "本单位", "my unit";
    scope_all: "全部", "all";
    scope_customer: "客户", "customer";
    legend: "○计划 ●完成 !逾期", "○planned ●done !overdue";
    no_visits: "这一天没有拜访", "No visits on this day";
    no_visits_ahead: "没有安排的拜访", "No visits scheduled";
    goto_prompt: "跳到日期", "Go to date";
    form_plan_visit: "安排拜访", "Plan a visit";
    form_record_visit: "记录拜访结果", "Record the visit";
    form_cancel_visit: "取消拜访", "Cancel the visit";
    form_edit_visit: "修改拜访", "Change the visit";
    f_customer: "客户(编号或简称)", "Customer (ID or short name)";
    f_kind: "拜访方式", "Kind";
    f_date: "日期", "Date";
    f_time: "时间", "Time";
    f_duration: "时长(分钟)", "Duration (minutes)";
    f_purpose: "目的", "Purpose";
    f_supervisor: "主管参加", "Supervisor taking part";
    f_leader: "领导参加", "Leader taking part";
    f_repeat: "重复", "Repeat";
    f_every: "每隔", "Every";
    f_until: "重复至", "Until";
    f_done_at: "完成时间", "Done at";
    f_business: "经营情况", "How the business runs";
    f_opinions: "意见建议", "Opinions";
    f_problems: "问题及解决办法", "Problems and agreed solutions";
    f_new_needs: "新需求", "New needs";
    f_next_step: "下一步", "Next step";
    f_next_due: "下一步期限", "Next step due";
    f_met: "会见人员", "Person met";
    f_reason: "取消原因", "Reason";
    f_series: "修改范围", "Apply to";
    repeat_none: "不重复", "does not repeat";
    repeat_days: "天", "days";
    repeat_weeks: "周", "weeks";
    repeat_months: "月", "months";
    series_one: "仅此一次", "this visit only";
    series_all: "此次及以后各次", "this and later visits";
    err_customer_unknown: "找不到这个客户", "No such customer";
    err_customer_ambiguous: "有多个客户匹配,请输入客户编号", "Several customers match; enter the customer ID";
    err_time: "时间格式 09:30", "Time as 09:30";
    err_minutes: "请填 5 到 720 之间的分钟数", "Minutes between 5 and 720";
    err_every: "请填 1 到 99", "Enter 1 to 99";
    err_recurrence: "重复设置不对:{}", "Repeat: {}";
    visit_planned: "已安排拜访", "Visit planned";
    visits_planned: "已安排 {} 次拜访", "{} visits planned";
    visit_recorded: "已记录拜访结果", "Visit recorded";
    visit_cancelled: "已取消拜访", "Visit cancelled";
    visit_changed: "已修改 {} 次拜访", "{} visits changed";
    today_visits: "今日拜访", "Today's visits";
    today_overdue: "逾期未完成的拜访", "Overdue visits";
    today_behind: "本月未达拜访标准", "Behind the visit standard this month";
    today_occasions: "未来7天的生日、纪念日和节日", "Birthdays, dates and holidays in the next 7 days";
    today_stale: "档案过期", "Stale dossiers";
    today_complaints: "未办结的投诉", "Open complaints";
    today_follow_ups: "本月应跟踪的投诉", "Complaint follow-ups due";
    today_nothing: "无", "nothing";
    today_missing: "缺", "missing";
    birthday_of: "{} 生日", "{}'s birthday";
    holiday_greeting_due: "节日问候:{}", "Holiday greeting: {}";
    screen_standards: "拜访达标", "Visit standards";
    screen_month_plan: "安排本月拜访", "Plan my month";
    standards_summary: "{} 户中 {} 户未达标", "{} customers, {} behind";
    standards_none: "没有需要执行拜访标准的客户", "No customers with a visit standard";
    met_mark: "达标", "met";
    behind_mark: "未达标", "behind";
    plan_summary: "建议 {} 次拜访,保留 {} 次。空格 保留/放弃 · ←/→ 改日期 · Ctrl-S 保存 · Esc 取消", "{} proposals, {} kept. Space keep/drop · ←/→ move a day · Ctrl-S save · Esc cancel";
    plan_nothing: "本月拜访已经满足标准,无需补充", "This month's visits already meet the standard";
    plan_dropped: "放弃", "dropped";
    plan_kept: "保留", "keep";
    complaints_heading: "投诉", "Complaints";
    complaints_overdue_heading: "超时未办结的投诉", "Overdue complaints";
    complaint_overdue_by: "超时 {}", "overdue by {}";
    complaint_left: "剩余 {}", "{} left";
    screen_complaints: "投诉处理", "Complaints";
    complaints_filter_open: "未办结", "open";
    complaints_filter_overdue: "超时", "overdue";
    complaints_filter_all: "全部", "all";
    complaints_none: "没有符合条件的投诉", "No complaints match";
    complaint_timeline: "处理过程", "Timeline";
    complaint_actions: "s下一步 c电话 u跟踪 n登记 t类别 p期间 m我的 /搜索", "s step c call u follow-up n new t cat p period m mine /";
    form_file_complaint: "登记投诉", "File a complaint";
    form_step_complaint: "投诉处理下一步", "Next step of the complaint";
    f_channel: "来源渠道", "Channel";
    f_complainant: "投诉人", "Complainant";
    f_contact: "联系方式", "Contact";
    f_category: "投诉类别", "Category";
    f_severity: "严重程度", "Severity";
    f_locality: "时限类别", "Time limit";
    f_department: "责任部门", "Responsible department";
    f_description: "投诉内容", "Description";
    f_step: "下一步", "Step";
    f_handler: "处理人", "Handler";
    f_result: "处理结果", "Result";
    f_follow_up: "持续影响业务,按月跟踪", "Keeps affecting business: follow up monthly";
    f_note: "说明", "Note";
    f_impact_cleared: "影响已消除,结束跟踪", "Impact gone: end the follow-up";
    form_phone_contact: "记录首次电话联系", "Record the first phone contact";
    form_follow_up: "按月跟踪记录", "Monthly follow-up note";
    f_team: "跨部门小组(白金及以上客户)", "Cross-department team (platinum and above)";
    complaint_filed: "已登记投诉 {}", "Complaint {} filed";
    complaint_moved: "投诉已更新:{}", "Complaint now: {}";
    screen_log: "营销日志", "Marketing log";
    log_none: "没有符合条件的营销日志", "No log entries match";
    log_actions: "n 写日志 c 批阅 t 阶段 f 范围 p 期间 / 搜索", "n write  c comment  t stage  f scope  p period  / search";
    log_comments: "批阅 {}", "{} comments";
    form_new_log: "写营销日志", "Write a log entry";
    form_comment_log: "批阅营销日志", "Comment on a log entry";
    f_logged_on: "日期", "Date";
    f_method: "沟通方式", "Method";
    f_stage: "洽谈阶段", "Deal stage";
    f_content: "沟通内容", "Content";
    f_needs: "客户业务需求", "Customer's needs";
    f_cooperation: "合作情况", "Cooperation";
    f_our_people: "我方参与人员", "Our people";
    f_their_people: "客户参与人员", "Customer's people";
    f_satisfaction: "客户满意度", "Customer satisfaction";
    period_month: "本月", "this month";
    period_quarter: "近三个月", "last 3 months";
    f_comment: "批阅意见(可空,仅标记已阅)", "Comment (empty: mark as read)";
    log_written: "已写入营销日志", "Log entry written";
    log_commented: "已批阅", "Comment saved";
    today_comments: "主管新批阅", "New comments from your supervisor";
    deal_progress: "洽谈进度", "Deal progress";
    no: "否", "no";
    none: "无", "none";
}

/// Fills each `{}` in `template` with the next argument.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(pos) = rest.find("{}") {
        out.push_str(&rest[..pos]);
        if let Some(a) = args.next() {
            out.push_str(&a.to_string());
        }
        rest = &rest[pos + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_holes_in_order() {
        assert_eq!(fill("{} more yuan to reach {}", &[&12, &"gold"]), "12 more yuan to reach gold");
        assert_eq!(fill("共 {} 户", &[&3]), "共 3 户");
        assert_eq!(fill("no holes", &[&1]), "no holes");
    }

    #[test]
    fn every_hole_count_matches_between_languages() {
        for (key, zh, en) in ALL {
            assert_eq!(zh.matches("{}").count(), en.matches("{}").count(), "{key}");
            assert!(!zh.is_empty() && !en.is_empty(), "{key}");
        }
    }
}
