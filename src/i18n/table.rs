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
    // the customer list of a new office
    list_empty_title: "还没有客户", "No customers yet";
    list_empty_new: "按 {} 登记第一个客户(注册申报,由主管审批)", "Press {} to register the first customer (a supervisor approves it)";
    list_empty_import: "或在命令行导入现有客户档案:kam import customers 客户.csv", "or import the existing customer book: kam import customers customers.csv";
    list_empty_setup: "单位、行业和业务种类:按 {} 设置", "Units, industries and service lines: press {} to set them up";
    count_of: "共 {} 户", "{} [customer|customers]";
    sorted_by: "排序", "sort";
    filters: "筛选", "filter";
    filter_mine: "我的", "mine";
    filter_pending: "待审注册", "pending registration";
    filter_stale: "档案过期", "stale dossiers";
    filter_archived: "含归档", "incl. archived";
    filter_none: "无", "none";
    // tables and pick lists (issue 12)
    col_owner_b: "客户经理(B)", "Owner (B)";
    col_full_name: "全称", "Full name";
    col_phone: "电话", "Phone";
    col_next_update: "下次更新", "Next update";
    col_number: "编号", "No.";
    col_customer: "客户", "Customer";
    col_received: "受理时间", "Received";
    col_note: "说明", "Note";
    col_step: "处理", "Step";
    col_author: "记录人", "Author";
    col_comments: "批阅", "Comments";
    col_behind: "未达标", "Behind";
    event_phone_contact: "电话联系", "phone contact";
    event_team: "组建跨部门小组", "team named";
    event_follow_up: "月度跟踪", "monthly follow-up";
    event_impact_cleared: "影响已消除", "impact cleared";
    staff_col_login: "登录名", "Login";
    staff_col_name: "姓名", "Name";
    staff_col_role: "角色", "Role";
    staff_col_unit: "单位代码", "Unit code";
    staff_col_unit_name: "所属单位", "Unit";
    staff_col_status: "状态", "Status";
    staff_active: "在岗", "active";
    staff_on_leave: "休假", "on leave";
    staff_left: "离职", "left";
    col_date: "日期", "Date";
    col_time: "时间", "Time";
    col_visit_kind: "拜访方式", "Kind";
    col_visit_who: "参加", "Who";
    standards_col_lines: "拜访标准(已做/应做)", "Visits (done/required)";
    pick_owner: "按客户经理筛选", "Filter by account manager";
    pick_unit: "按责任单位筛选", "Filter by unit";
    pick_any: "全部", "All";
    pick_hint: "输入筛选 · Enter 选定 · Esc 取消", "type to narrow · Enter picks · Esc cancels";
    pick_none: "没有匹配项", "Nothing matches";
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
    retier_count: "共 {} 个客户级别将变化", "{} [customer changes|customers change] tier";
    preset_changed: "分级方案已改为 {}:{} 个客户的级别随之变化", "Tier preset is now {}: {} [customer|customers] changed tier";
    // a changed preset waits for those who may re-tier (issue 14)
    preset_pending: "分级方案已设为“{}”，客户级别仍按“{}”计算，待{}应用（以新方案启动 kam，或运行 kam retier --apply）", "The tier preset is set to {}, but tiers stay as computed under {} until {} applies it (by starting kam with it, or kam retier --apply)";
    preset_pending_nobody: "客户管理员或负责全部客户的主管", "the customer administrator or a supervisor over every customer's unit";
    person_with_role: "{}{}", "{} {}";
    list_sep: "、", ", ";
    list_or: "{}或{}", "{} or {}";
    list_one_of_more: "{}等 {} 人之一", "one of {} and others ({} in all)";
    ics_written: "{} 次拜访 → {}", "{} [visit|visits] → {}";
    retier_dry_run: "未写入。确认后加 --apply 执行（记录历史）。", "Nothing written. Add --apply to write it (with history).";
    retier_applied: "已更新 {} 个客户的级别，变更已记入历史。", "{} [customer|customers] re-tiered; the changes are in the history.";
    report_sheet_by_tier: "按级别", "By tier";
    report_sheet_key: "重点客户", "Key customers";
    report_title_by_tier: "重点客户户数及收入表(按级别) {} {}", "Key-customer count and revenue by tier, {} {}";
    report_title_key: "重点客户收入表(白银及以上或前10名) {} {}", "Key customers' revenue (silver and above, or top 10), {} {}";
    report_month: "月份", "Month";
    report_unit: "单位", "Unit";
    report_all_units: "全部单位", "All units";
    report_customers: "客户数", "Customers";
    report_total: "合计", "Total";
    report_total_revenue: "本月收入合计(元)", "Revenue this month (yuan)";
    report_mom: "环比", "MoM";
    report_yoy: "同比", "YoY";
    report_ytd: "本年累计(元)", "Year to date (yuan)";
    report_ytd_yoy: "累计同比", "YTD YoY";
    report_unit_revenue: "本单位收入(元)", "Unit's revenue (yuan)";
    report_share_of_unit: "占本单位收入", "Share of the unit's revenue";
    report_col_tier: "级别", "Tier";
    report_col_count: "户数", "Customers";
    report_col_month: "本月(元)", "This month (yuan)";
    report_col_previous: "上月(元)", "Previous month (yuan)";
    report_col_year_ago: "去年同月(元)", "Same month last year (yuan)";
    report_col_share: "占本月合计", "Share of month total";
    report_col_rank: "排名", "Rank";
    report_col_manager: "客户经理", "Account manager";
    report_col_update_due: "档案应更新日期", "Dossier update due";
    report_monthly_written: "已写入 {}:{} {},{} 个级别,{} 个重点客户", "Wrote {}: {} {}, {} [tier|tiers], {} key [customer|customers]";
    report_customers_written: "已写入 {}:{} 个客户", "Wrote {}: {} [customer|customers]";
    report_bad_month: "--month “{}”{}", "--month \"{}\": {}";
    report_no_ledger: "收入台账为空:请用 --month 指定月份", "The revenue ledger is empty: give --month";
    // report: a month after the ledger
    report_not_entered: "{} 的收入尚未录入(台账截至 {}),没有可报的数", "Revenue for {} is not entered yet (the ledger ends at {}): nothing to report";
    report_unknown_unit: "没有代码为 \"{}\" 的单位。可用的代码:{}", "No unit has the code \"{}\". Valid codes: {}";
    report_unknown_tier: "未知级别 \"{}\"。可用:{}", "Unknown tier \"{}\". Valid: {}";
    report_unknown_status: "未知状态 \"{}\"。可用:{}", "Unknown status \"{}\". Valid: {}";
    // the period report (issue 16)
    period_not_split: "未分月", "not split by month";
    report_sheet_period: "期间对比", "Period";
    report_title_period: "重点客户收入对比表 {} {}(单位:{})", "Key customers' revenue, {} {} (in {})";
    report_money_yuan: "元", "yuan";
    report_money_wan: "万元", "10k yuan (万元)";
    report_period: "期间", "Period";
    report_period_last_year: "去年同期", "Same period last year";
    report_col_current: "本期", "This period";
    report_col_last_year: "去年同期", "Same period last year";
    report_col_change: "增减额", "Change";
    report_col_change_pct: "增减幅度", "Change %";
    report_col_share_unit: "占本单位收入", "Share of unit revenue";
    report_col_note: "备注", "Note";
    report_col_item: "项目", "Item";
    report_total_all: "全部重点客户合计", "All key customers";
    report_total_compared: "其中可比客户(两期均有收入)", "of which like for like (revenue in both periods)";
    report_unit_period: "本单位同期收入", "Unit's revenue, same period";
    report_unit_unknown: "未录入", "not entered";
    report_unit_cut: "只有 {} 的合计(未分月),不能拆分", "known only as a total for {} (not split by month)";
    report_unit_missing: "{} 未录入", "{} not entered";
    report_cut_note: "有未分月的期间合计跨越本期,不能拆分,本期数不计", "A period total (not split by month) reaches across this period; it cannot be split, so this figure is left out";
    report_cut_customers: "{} 户的期间合计跨越所选期间(未分月,不拆分),其数未计入合计", "{} [customer has|customers have] a period total reaching across the period chosen (not split by month): left out of the totals";
    report_period_written: "已写入 {}:{} {},{} 个客户", "Wrote {}: {} {}, {} [customer|customers]";
    report_bad_period: "--{} “{}”:{}", "--{} \"{}\": {}";
    report_period_backwards: "--to 早于 --from", "--to comes before --from";
    report_period_no_ledger: "收入台账没有按月的收入:请用 --to 指定截止月份", "The ledger has no monthly revenue: give --to";
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
    last_updated: "档案更新于", "updated";
    next_due: "下次应更新", "next update due";
    header_due: "下次应更新", "update due";
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
    history_acted_for: "{} 代 {}", "{} for {}";
    history_root_acted_for: "管理员 {} 代 {}", "admin {} for {}";
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
    form_has_errors: "有 {} 项需要更正,内容已保留", "{} [field needs|fields need] correcting; nothing you typed was lost";
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
    conflict_change: "{}:原为 {} · {} 改为 {} · 您的:{}", "{}: was {} · {} changed it to {} · yours: {}";
    created_customer: "已创建客户 {},等待主管审批注册", "Created customer {}; its registration awaits a supervisor";
    archived_done: "已归档", "Archived";
    restored_done: "已恢复", "Restored";
    confirm_archive: "归档 {}?按 y 确认,其他键取消", "Archive {}? Press y to confirm, any other key cancels";
    decided: "已处理注册", "Registration decided";
    refused: "不允许:{}", "Not allowed: {}";
    err_busy: "数据库正忙(其他用户正在写入),请稍后再试;您的输入已保留", "The database is busy (another user is writing); try again, nothing was lost";
    err_db: "数据库错误:{}", "Database error: {}";
    // storage and rule errors, each in words (never the English Display of the error)
    err_db_code: "SQLite 错误代码 {}", "SQLite error code {}";
    err_disk_full: "磁盘已满,未保存;请清理空间后再试", "The disk is full: nothing was saved; free some space and try again";
    err_read_only: "没有写入数据库文件的权限", "No permission to write the database file";
    err_damaged: "数据库文件已损坏:请运行 kam check,并从备份恢复", "The database file is damaged: run kam check and restore from a backup";
    err_io: "读写数据库文件失败(磁盘或文件系统出错)", "Reading or writing the database file failed (disk or file system)";
    err_schema_too_new: "数据库由更新版本的 kam 写入(结构版本 {},本程序支持 {}),请升级 kam", "The database was written by a newer kam (schema {}, this kam knows {}): upgrade kam";
    err_not_a_database: "{} 不是 kam 数据库(或已损坏)", "{} is not a kam database (or it is damaged)";
    err_open: "无法打开 {}:{}", "Cannot open {}: {}";
    // a server's TLS refused the connection (the reason after err_open)
    tls_untrusted: "服务器的证书不是由 {} 中的证书颁发机构签发的,不可信任:这可能不是本局的服务器,或 sslrootcert 指向的不是本局的 CA 证书", "the server's certificate is not signed by a certificate authority in {}, so it is not trusted: this may not be the bureau's server, or sslrootcert does not name the bureau's CA certificate";
    tls_system_roots: "本机系统信任的证书", "this computer's trusted certificates";
    tls_name_mismatch: "服务器的证书不含连接地址 {}:sslmode=verify-full 要求地址是证书上的名称", "the server's certificate does not name {}: sslmode=verify-full needs the host in the URL to be a name on the certificate";
    tls_name_mismatch_names: "服务器的证书不含连接地址 {}(证书上的名称:{}):sslmode=verify-full 要求地址是证书上的名称,请用该名称连接", "the server's certificate does not name {} (it names {}): sslmode=verify-full needs the host in the URL to be a name on the certificate, so connect by that name";
    tls_expired: "服务器的证书已过期或尚未生效:请检查本机的日期和时间,或请数据库管理员更换证书", "the server's certificate has expired or is not valid yet: check this computer's date and time, or ask the database administrator for a new certificate";
    tls_client_refused: "服务器拒绝了客户端证书 {}:它不是由服务器信任的证书颁发机构签发的(或已失效);请向数据库管理员索取本终端的证书", "the server refused the client certificate {}: it is not signed by a certificate authority the server trusts (or is no longer valid); ask the database administrator for this terminal's certificate";
    tls_client_missing: "服务器要求此登录名使用客户端证书:请在连接地址中加上 sslcert 和 sslkey", "the server wants a client certificate for this login: add sslcert and sslkey to the URL";
    tls_server_has_none: "服务器不提供 TLS 加密连接,而 sslmode 要求加密:请数据库管理员开启 ssl", "the server offers no TLS, and the sslmode requires it: ask the database administrator to turn ssl on";
    tls_server_requires: "服务器只接受经 TLS 加密的连接,而 sslmode=disable 关闭了加密:请改用 sslmode=verify-full,并用 sslrootcert 指定本局的 CA 证书", "the server accepts this login only over TLS, and sslmode=disable turned TLS off: use sslmode=verify-full with sslrootcert naming the bureau's CA certificate";
    tls_other: "TLS 加密连接失败:{}", "the TLS connection failed: {}";
    err_migration: "数据库结构升级失败:{}", "Upgrading the database schema failed: {}";
    err_conflict: "{} 在 {} 修改了这条记录:请关闭后重新打开再改", "{} changed this record at {}: close it and open it again";
    err_conflict_someone: "他人刚修改了这条记录:请关闭后重新打开再改", "Someone else just changed this record: close it and open it again";
    err_field_required: "{}:必填", "{}: required";
    err_constraint: "数据不符合规则,未保存(所引用的记录可能已被他人归档)", "The data breaks a rule and was not saved (a record it refers to may have been archived)";
    err_internal: "程序内部错误,未保存;请告诉管理员", "Internal error, nothing saved; please tell your administrator";
    // revenue by period (issue 16)
    err_period_shape: "期间合计须为同一年内的2至12个月:{}", "A period total covers two to twelve months of one year: {}";
    err_double_count: "客户 {} 的 {} 已含在 {} 的期间合计(未分月)中,重复计算,未保存", "Customer {}: {} lies inside the period total {} (not split by month); it would be counted twice, nothing saved";
    err_period_overlap: "客户 {} 的期间合计 {} 与已有的 {} 有重叠月份,未保存", "Customer {}: the period total {} shares months with {} already entered; nothing saved";
    import_err_double_count_line: "重复计算:{} 与 {} 的期间合计(未分月)重叠,见第 {} 行", "Counted twice: {} overlaps the period total {} (not split by month); see line {}";
    import_err_double_count_stored: "重复计算:{} 与 {} 的期间合计(未分月)重叠,其中一方已在库中", "Counted twice: {} overlaps the period total {} (not split by month), one of them already entered";
    import_err_period_overlap_line: "与 {} 的期间合计(第 {} 行)重叠,重复计算", "Shares months with the period total {} on line {}: counted twice";
    import_err_period_overlap_stored: "与库中 {} 的期间合计重叠,重复计算", "Shares months with the period total {} already entered: counted twice";
    // unit revenue import and period totals in the dossier (issue 16)
    import_err_unit_ambiguous: "有多个单位叫“{}”,请写单位代码", "Several units are called \"{}\": write the unit's code";
    import_err_unit_not_allowed: "无权录入单位 {} 的收入:{}", "May not enter the revenue of unit {}: {}";
    err_unit_double_count: "单位 {}:{} 落在期间合计 {}(未分月)之内,会重复计算", "Unit {}: {} lies inside the period total {} (not split by month); it would be counted twice";
    period_form_title: "期间合计(未分月)", "Period total (not split by month)";
    period_form_period: "期间", "Period";
    period_form_line: "业务种类", "Service line";
    period_form_amount: "金额(元)", "Amount (yuan)";
    period_form_bad_period: "期间应写作 2026-01..2026-10、2026年1-10月 或 2026年1-10月累计", "Write the period as 2026-01..2026-10, 2026年1-10月 or 2026年1-10月累计";
    period_form_bad_month: "{};期间应写作 2026-01..2026-10 或 2026年1-10月", "{}; write the period as 2026-01..2026-10 or 2026年1-10月";
    period_form_double_count: "与已录入的收入重复计算,见下方", "Counted twice with revenue already entered (see below)";
    period_form_backwards: "期间的结束月早于起始月", "The period ends before it starts";
    period_form_hint: "{} 保存 · {} 取消 · 金额 0 清除", "{} save · {} cancel · amount 0 clears";
    period_form_saved: "已保存期间合计:{} {} {}", "Period total saved: {} {} {}";
    err_unit_period_overlap: "单位 {}:期间合计 {} 与 {} 重叠,会重复计算", "Unit {}: the period total {} shares months with {}; it would be counted twice";
    err_visit_not_planned: "这次拜访{},只能修改计划中的拜访", "This visit is {}: only planned visits can change";
    err_complaint_close: "须先确认客户满意度,才能关闭投诉", "A complaint closes only after the customer's satisfaction is confirmed";
    err_complaint_phone_first: "特殊情况须先电话联系客户,才能办结", "A special case is resolved only after a first phone call to the customer";
    err_complaint_team: "白金及以上客户的投诉须先指定跨部门小组,才能办结", "A platinum-or-above customer's complaint needs its cross-department team first";
    err_complaint_step: "投诉当前为「{}」,不能「{}」", "The complaint is {}: it cannot \"{}\"";
    err_recurrence_interval: "间隔至少为 1", "The interval must be at least 1";
    err_recurrence_until: "结束日期 {} 早于第一次拜访 {}", "The end date {} is before the first visit on {}";
    err_recurrence_many: "重复次数超过 {} 次:请缩短期限或加大间隔", "More than {} [visit|visits]: shorten the period or widen the interval";
    err_not_found: "记录不存在", "Record not found";
    help_title: "快捷键", "Keys";
    help_close: "按任意键关闭", "Press any key to close";
    help_hint: "? 帮助", "? help";
    too_small: "窗口太小,请放大", "Window too small";
    role_manager: "客户经理", "Account manager";
    role_supervisor: "主管", "Supervisor";
    role_admin: "客户管理员", "Administrator";
    role_leader: "领导", "Leader";
    refusal_not_yours: "只有该客户的客户经理或主管可以修改", "only the customer's account managers or a supervisor may change it";
    refusal_supervisor: "只有主管可以审批或调整级别", "only a supervisor may decide this";
    refusal_read_only: "领导角色只能查看", "leaders read only";
    refusal_decided_by: "只有{}或其上级单位的主管可以决定此事", "only a supervisor of {} or a unit above it decides this";
    // complaints by role (issue 14)
    refusal_not_your_complaint: "只有投诉的处理人、该客户的客户经理或{}及其上级单位的主管可以处理此投诉", "only the complaint's handler, the customer's account managers or a supervisor of {} or a unit above it work on this complaint";
    refusal_admin: "只有系统管理员可以管理人员和基础数据", "only an administrator may manage staff and reference data";
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
    err_too_long: "太长(最多 {} 字)", "Too long (at most {} [character|characters])";
    err_not_in_list: "请从列表中选择", "Choose from the list";
    err_division: "行政区划代码须为6位数字,如 440106", "A division code is 6 digits, e.g. 440106";
    err_id: "客户编号须为14位数字", "A customer ID is 14 digits";
    err_id_full: "该区划或总部的编号已用完", "No IDs left in this division or under this headquarters";
    // forms and flows (issue 12): date rules, the customer pick list, Ctrl-C in a form, the log entry view
    form_has_one_error: "有 1 项需要更正,内容已保留", "1 field needs correcting; nothing you typed was lost";
    err_in_future: "不能是将来的日期或时间", "Cannot be in the future";
    err_before_record: "不能早于本记录的日期 {}", "Not before the record's date ({})";
    err_date_time: "日期时间格式 2026-11-23 09:30", "Date and time as 2026-11-23 09:30";
    unusual_in_past: "这一天已经过去,安排后立即逾期", "A past day: it would be overdue at once";
    unusual_far_ahead: "一年以后,请核对年份", "More than a year ahead: check the year";
    unusual_long_ago: "一年以前,请核对年份", "More than a year ago: check the year";
    confirm_unusual: "请核对标出的日期;无误请再按 Ctrl-S 保存", "Check the marked dates; press Ctrl-S again to save anyway";
    quit_unsaved: "表单内容尚未保存。再按 Ctrl-C 放弃并退出,按其他键继续编辑", "This form is not saved. Press Ctrl-C again to discard it and quit, any other key to go on";
    pick_customer: "客户(名称、拼音或编号)", "Customer (name/pinyin/ID)";
    pick_customer_none: "没有匹配的客户", "No customer matches";
    pick_more: "还有更多,继续输入以缩小范围", "More match: type more to narrow";
    pick_customer_hint: "↑/↓ 选择 · Enter 确定 · Esc 关闭", "↑/↓ choose · Enter pick · Esc close";
    pick_yours: "您可操作的客户", "Customers you may work on";
    pick_searching: "正在查找…", "Searching…";
    err_customer_choose: "有多个客户符合,请在列表中用 ↑/↓ 选择后按 Enter", "Several customers match: choose one in the list (↑/↓, Enter)";
    f_received_at: "收到时间", "Received at";
    screen_log_entry: "日志详情", "Log entry";
    entry_customer: "客户", "Customer";
    entry_author: "填写人", "Written by";
    entry_written_at: "填写时间", "Written at";
    entry_from_visit: "来自拜访记录", "From the visit of";
    entry_comments: "主管批阅", "Supervisors' comments";
    entry_no_comments: "尚无批阅", "No comments yet";
    entry_read_mark: "已阅", "marked as read";
    entry_new_mark: "新", "new";
    entry_hint: "Enter 客户档案 · c 批阅(主管) · ↑/↓ 滚动 · Esc 返回", "Enter dossier · c comment (supervisor) · ↑/↓ scroll · Esc back";
    // set-up of the office: units, industries, service lines (kam unit|industry|service-line, key 0)
    screen_setup: "机构与基础数据", "Units and reference lists";
    setup_tab_units: "单位", "Units";
    setup_tab_industries: "行业", "Industries";
    setup_tab_lines: "业务种类", "Service lines";
    setup_col_code: "代码", "Code";
    setup_col_name: "名称", "Name";
    setup_col_name_en: "英文名称", "English name";
    setup_col_division: "区划", "Division";
    setup_col_level: "级别", "Level";
    setup_read_only: "只读:只有客户管理员可以修改", "Read only: only an administrator changes these";
    setup_hint_new: "新增", "add";
    setup_hint_edit: "改名", "rename";
    setup_hint_move: "移动", "move";
    setup_hint_archive: "归档", "archive";
    setup_hint_restore: "恢复", "restore";
    setup_hint_archived: "显示归档", "archived";
    setup_hint_tab: "切换", "switch";
    setup_use_unit: "客户 {} · 人员 {} · 下级单位 {}", "customers {} · staff {} · units below {}";
    setup_use_industry: "客户 {}", "customers {}";
    setup_top: "—(最上级)", "— (top level)";
    setup_empty: "(无)", "(none)";
    setup_form_new_unit: "新增单位", "New unit";
    setup_form_edit_unit: "修改单位 · {}", "Change unit · {}";
    setup_form_move_unit: "移动单位 · {}", "Move unit · {}";
    setup_form_new_industry: "新增行业", "New industry";
    setup_form_new_line: "新增业务种类", "New service line";
    setup_form_rename: "改名 · {}", "Rename · {}";
    f_code: "代码", "Code";
    f_unit_name: "名称", "Name";
    f_name_zh: "中文名称", "Chinese name";
    f_name_en: "英文名称(可空)", "English name (optional)";
    f_level: "级别", "Level";
    f_parent: "上级单位", "Parent unit";
    setup_bad_code: "代码须为1到16位字母、数字、- 或 _,例如 TH", "A code is 1 to 16 letters, digits, - or _, e.g. TH";
    setup_duplicate_code: "代码 {} 已被使用", "The code {} is already taken";
    setup_unknown_unit: "没有代码为 {} 的单位", "No unit has the code {}";
    setup_unknown_industry: "没有代码为 {} 的行业", "No industry has the code {}";
    setup_unknown_line: "没有代码为 {} 的业务种类", "No service line has the code {}";
    setup_empty_name: "名称必填", "A name is required";
    setup_name_too_long: "名称太长(最多 {} 字)", "The name is too long (at most {} characters)";
    setup_unknown_level: "不认识的级别 {}:可用 province(省局)、city(市局)、district(区县局)、bureau(专业局)、branch(支局)", "Unknown level {}: use province, city, district, bureau or branch";
    setup_cycle: "不能把 {} 移到 {} 之下:{} 就是它本身或它的下级单位", "Cannot move {} under {}: {} is that unit itself or one of the units below it";
    setup_level_order: "{}不能隶属于{}", "A {} cannot sit under a {}";
    setup_archived: "{} 已归档(先恢复才能使用)", "{} is archived (restore it first)";
    setup_already_archived: "{} 已经归档", "{} is already archived";
    setup_not_archived: "{} 没有归档", "{} is not archived";
    setup_in_use: "不能归档:仍有客户 {}、人员 {}、下级单位 {};请先转走", "Cannot archive: still has customers {}, staff {}, units below {}; move them first";
    setup_done_add_unit: "已新增单位 {} {}({},行政区划 {},上级 {})", "Added unit {} {} ({}, division {}, under {})";
    setup_done_add_entry: "已新增 {} {}", "Added {} {}";
    setup_done_change: "已修改 {}", "Changed {}";
    setup_done_move: "已把 {} 移到 {} 之下", "Moved {} under {}";
    setup_done_move_top: "已把 {} 移到最上级", "Moved {} to the top level";
    setup_done_archive: "已归档 {}", "Archived {}";
    setup_done_restore: "已恢复 {}", "Restored {}";
    setup_confirm_archive: "归档 {}?按 y 确认,其他键取消", "Archive {}? Press y to confirm, any other key cancels";
    setup_no_history: "{} 没有变更记录", "No history for {}";
    setup_yes: "是", "yes";
    init_created: "已建立 {}", "Set up {}";
    init_unit: "单位", "Unit";
    init_unit_line: "{} {}({},行政区划 {})", "{} {} ({}, division {})";
    init_admin: "管理员", "Administrator";
    init_admin_line: "{}(登录名 {},{})", "{} (login {}, {})";
    init_next: "接下来:", "What next:";
    init_step_unit: "添加下级单位", "Add the units below it";
    init_step_staff: "登记人员", "Register staff";
    init_step_industry: "添加行业", "Add industries";
    init_step_import: "导入现有客户档案", "Import the customer book";
    init_step_open: "打开界面", "Open kam";
    init_example_unit: "天河区大客户中心", "Tianhe key-account centre";
    init_example_person: "李娜", "Li Na";
    init_example_industry: "金融", "Finance";
    init_example_file: "客户.csv", "customers.csv";
    init_open_note: "在界面中按 0 管理单位、行业和业务种类", "in kam, 0 manages units, industries and service lines";
    init_has_staff: "{} 已有人员;kam init 只用于建立空数据库", "{} already has staff; kam init only sets up an empty database";
    init_no_login: "无法确定您的登录名:{}", "Cannot tell your login: {}";
    screen_today: "今日", "Today";
    screen_calendar: "拜访日历", "Visit calendar";
    nav_hint: "1今日 2客户 3日历 4达标 5投诉 6日志 7分析", "1Today 2Cust 3Cal 4Std 5Compl 6Log 7Rev";
    view_month: "月", "month";
    view_week: "周", "week";
    view_agenda: "日程", "agenda";
    scope_mine: "我的", "mine";
    scope_unit: "本单位", "my unit";
    scope_all: "全部", "all";
    scope_customer: "客户", "customer";
    // list titles: each filter part says what it is; unset ones are left out
    title_scope: "范围: {}", "scope: {}";
    title_category: "类别: {}", "category: {}";
    title_stage: "阶段: {}", "stage: {}";
    title_period: "期间: {}", "period: {}";
    legend: "○计划 ●完成 !逾期", "○planned ●done !overdue";
    no_visits: "这一天没有拜访", "No visits on this day";
    no_visits_ahead: "没有安排的拜访", "No visits scheduled";
    goto_prompt: "跳到日期", "Go to date";
    // calendar: go-to errors
    goto_bad_date: "无法跳到“{}”:{}", "Cannot go to “{}”: {}";
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
    visit_planned: "已安排拜访", "Visit planned";
    visits_planned: "已安排 {} 次拜访", "{} [visit|visits] planned";
    visit_recorded: "已记录拜访结果", "Visit recorded";
    visit_cancelled: "已取消拜访", "Visit cancelled";
    visit_changed: "已修改 {} 次拜访", "{} [visit|visits] changed";
    today_visits: "今日拜访", "Today's visits";
    today_overdue: "逾期未完成的拜访", "Overdue visits";
    today_behind: "本月未达拜访标准", "Behind the visit standard this month";
    today_occasions: "未来7天的生日、纪念日和节日", "Birthdays, dates and holidays in the next 7 days";
    today_stale: "档案过期", "Stale dossiers";
    today_complaints: "未办结的投诉", "Open complaints";
    today_follow_ups: "本月应跟踪的投诉", "Complaint follow-ups due";
    today_nothing: "无", "nothing";
    // Today: one screen at 80×24
    today_registrations: "待审批的客户注册", "Registrations awaiting your decision";
    today_more: "… 还有 {} 条 (Enter 展开)", "… {} more (Enter to show)";
    today_fewer: "… 收起 (Enter)", "… show fewer (Enter)";
    today_not_listed: "… 另有 {} 条未列出", "… {} more not listed";
    today_missing: "缺", "missing";
    birthday_of: "{} 生日", "{}'s birthday";
    holiday_greeting_due: "节日问候:{}", "Holiday greeting: {}";
    screen_standards: "拜访达标", "Visit standards";
    screen_month_plan: "安排本月拜访", "Plan my month";
    standards_summary: "{} 户中 {} 户未达标", "{} [customer|customers], {} behind";
    standards_none: "没有需要执行拜访标准的客户", "No customers with a visit standard";
    met_mark: "达标", "met";
    behind_mark: "未达标", "behind";
    plan_summary: "建议 {} 次拜访,保留 {} 次。空格 保留/放弃 · ←/→ 改日期 · Ctrl-S 保存 · Esc 取消", "{} [proposal|proposals], {} kept. Space keep/drop · ←/→ move a day · Ctrl-S save · Esc cancel";
    plan_nothing: "本月拜访已经满足标准,无需补充", "This month's visits already meet the standard";
    plan_dropped: "放弃", "dropped";
    plan_kept: "保留", "keep";
    complaints_heading: "投诉", "Complaints";
    complaints_overdue_heading: "超时未办结的投诉", "Overdue complaints";
    complaint_overdue_by: "超时 {}", "{} overdue";
    complaint_left: "剩余 {}", "{} left";
    screen_complaints: "投诉处理", "Complaints";
    complaints_filter_open: "未办结", "open";
    complaints_filter_overdue: "超时", "overdue";
    complaints_filter_all: "全部", "all";
    complaints_none: "没有符合条件的投诉", "No complaints match";
    complaint_timeline: "处理过程", "Timeline";
    complaint_actions: "s下一步 c电话 u跟踪 n登记 t类别 p期间 m我的 /搜索", "s step c call u follow-up n new t cat p period m mine / search";
    form_file_complaint: "登记投诉", "File a complaint";
    form_step_complaint: "投诉处理下一步", "Complaint step";
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
    f_follow_up: "持续影响业务,按月跟踪", "Ongoing impact: follow up monthly";
    f_note: "说明", "Note";
    f_impact_cleared: "影响已消除,结束跟踪", "Impact gone: end the follow-up";
    form_phone_contact: "记录首次电话联系", "Record the first phone contact";
    form_follow_up: "按月跟踪记录", "Monthly follow-up note";
    f_team: "跨部门小组(白金及以上客户)", "Cross-department team (platinum+)";
    complaint_filed: "已登记投诉 {}", "Complaint {} filed";
    complaint_moved: "投诉已更新:{}", "Complaint now: {}";
    // complaints: the customer's word and the result on the timeline; why a step is refused
    complaint_satisfaction: "满意度:{}", "satisfaction: {}";
    complaint_result: "处理结果:{}", "result: {}";
    workflow_unsatisfied: "客户不满意,不能直接结案:请重新处理或上报主管,或由主管写明理由决定结案", "The customer is not satisfied, so it cannot simply close: reopen or escalate it, or a supervisor closes it with a reason";
    workflow_reason: "主管决定结案须写明理由", "Closing it anyway needs the reason for the decision";
    screen_log: "营销日志", "Marketing log";
    history_none_for: "客户 {} 没有历史记录", "No history for customer {}";
    // starting: no database yet, no staff yet, unknown login
    start_no_database: "没有找到数据库 {}。\n开始使用:\n  试用演示数据:            kam --demo\n  新建数据库(您为管理员):  kam init --unit-name 单位名称 --division 440100 --name 您的姓名\n  打开已有的数据库:        kam --db 文件路径", "No kam database at {}.\nTo begin:\n  try the demo data:          kam --demo\n  start a new database:       kam init --unit-name NAME --division 440100 --name YOUR_NAME\n  open an existing database:  kam --db FILE";
    start_no_staff: "{} 里还没有人员。\n  试用演示数据:      kam --demo\n  初始化这个数据库:  kam init --unit-name 单位名称 --division 440100 --name 您的姓名", "{} has no staff yet.\n  try the demo data:     kam --demo\n  set up this database:  kam init --unit-name NAME --division 440100 --name YOUR_NAME";
    start_unknown_login: "登录名 {} 不是 {} 的在册人员:请管理员登记(kam staff add --login {} …)", "Login '{}' is not registered as staff in {}: ask an administrator to register it (kam staff add --login {} …)";
    start_no_login: "无法确定您是谁:{}", "Cannot tell who you are: {}";
    // demo built
    demo_built: "演示数据库已建好:{} 户客户、{} 位人员、{} 次拜访、{} 条营销日志、{} 件投诉、{} 条收入记录,用时 {} 秒 → {}", "Demo database built: {} [customer|customers], {} staff, {} [visit|visits], {} log [entry|entries], {} [complaint|complaints], {} revenue [cell|cells], in {} s → {}";
    // identity: the system account, --user only on demos, who acted for whom
    ident_user_demo_only: "--user 只用于演示数据库;您的登录名是 {}", "--user is only for demo databases; you are signed in as {}";
    ident_env_demo_only: "KAM_USER 只用于演示数据库;您的登录名是 {}", "KAM_USER is only for demo databases; you are signed in as {}";
    ident_config_demo_only: "配置文件 {} 中的 user 只用于演示数据库;您的登录名是 {}", "`user =` in {} is only for demo databases; you are signed in as {}";
    whoami_login: "登录名", "Login";
    whoami_name: "姓名", "Name";
    whoami_role: "角色", "Role";
    whoami_unit: "单位", "Unit";
    whoami_database: "数据库", "Database";
    whoami_demo: "这是演示数据库:可用 --user 以任一演示人员的身份操作", "This is a demo database: --user works as any of its logins";
    whoami_acting: "系统账户 {} 代 {} 操作,历史记录写明两者", "System account {} is acting for {}: the history records both";
    whoami_guarded: "受保护的安装:数据库只能通过 kam 打开", "Guarded installation: the database opens only through kam";
    // only kam's files
    db_marked: "{} 由旧版 kam 建立:现已在文件头标记为 kam 数据库", "{} was made by an earlier kam: it is now marked as a kam database (application id)";
    not_kam_empty: "{} 是空文件,不是 kam 数据库(kam init 可用它建立数据库)", "{} is an empty file, not a kam database (kam init makes one of it)";
    not_kam_not_sqlite: "{} 不是 kam 数据库:它不是 SQLite 数据库文件;kam 未作任何改动", "{} is not a kam database: it is not an SQLite database; kam leaves it as it is";
    not_kam_other_app: "{} 不是 kam 数据库:它是另一个应用的 SQLite 数据库(应用标识 {});kam 未作任何改动", "{} is not a kam database: it is another application's SQLite database (application id {}); kam leaves it as it is";
    not_kam_other_tables: "{} 不是 kam 数据库:其中有不属于 kam 的表({});kam 未作任何改动", "{} is not a kam database: it has tables kam did not make ({}); kam leaves it as it is";
    not_kam_other_schema: "{} 不是 kam 数据库:其中没有 kam 的表;kam 未作任何改动", "{} is not a kam database: it has no kam tables; kam leaves it as it is";
    demo_force_not_demo: "{} 不是演示数据库:kam demo --force 只替换演示数据库", "{} is not a demo database: kam demo --force replaces only a demo";
    demo_flag_not_demo: "{} 不是演示数据库:--demo 只打开演示数据库", "{} is not a demo database: --demo opens only demo databases";
    // guarded installation on a shared server (kam setup-shared)
    guard_no_config: "kam 以 set-group-id 方式安装,但 {} 没有指定数据库:请 root 执行 kam setup-shared", "kam is installed set-group-id but {} names no database: root runs kam setup-shared";
    guard_config_untrusted: "{} 不归 root 所有或他人可写:kam 不使用它", "{} is not owned by root, or others can write it: kam does not use it";
    guard_demo_bureau: "{} 是共享数据库,不能用演示数据替换", "{} is the shared database: a demo never replaces it";
    guard_init_root: "共享数据库 {} 只能由 root 建立(sudo kam init … --user 管理员登录名)", "Only root sets up the shared database {} (sudo kam init … --user ADMIN_LOGIN)";
    guard_backup_who: "共享服务器上只有 root 或客户管理员可以备份(副本含全部资料,归备份者所有)", "On a shared server only root or an administrator makes backups (a copy holds everything and belongs to whoever made it)";
    guard_backup_place: "其他用户可以读取或改写 {} 所在的目录:请把备份放在只有您能进入的目录(chmod 700)", "Other users can read or write the folder of {}: keep backups in a folder only you can open (chmod 700)";
    setup_not_root: "kam setup-shared 需要 root 执行(sudo kam setup-shared …)", "kam setup-shared must run as root (sudo kam setup-shared …)";
    setup_group_has_members: "组 {} 里有人({}):有人的组能直接打开数据库。请另取一个组名(如 kamdb),或先把他们移出该组", "Group {} has members ({}): its members could open the database directly. Pick another name (e.g. kamdb), or take them out of it first";
    setup_step_group: "组 {}", "group {}";
    setup_step_folder: "目录 {}", "folder {}";
    setup_step_file: "文件 {}", "file {}";
    setup_step_config: "系统配置 {}", "system configuration {}";
    setup_step_binary: "程序 {}", "program {}";
    setup_created: "已建立", "created";
    setup_already: "已就绪", "already in place";
    setup_set: "已设置", "set";
    setup_no_database: "还没有数据库:以 root 执行 kam init --unit-name … --division … --name … --user 管理员登录名 建立,然后再执行一次 kam setup-shared", "No database yet: as root, run kam init --unit-name … --division … --name … --user ADMIN_LOGIN, then kam setup-shared once more";
    setup_done: "完成。客户经理以自己的账户登录并运行 {} 即可;他们不需要加入组 {}", "Done. Account managers sign in as themselves and run {}; they are not to be in group {}";
    // key bindings and themes: a user's file with a name kam does not know is refused at start (issue 13)
    keys_err_parse: "按键设置文件 {} 第 {} 行格式有误:应为 [模式] 下一行一个 按键 = \"命令\"", "Key bindings file {}, line {}: not understood; write key = \"command\" lines under a [mode] table";
    keys_err_read: "无法读取按键设置文件 {}:{}", "Key bindings file {} cannot be read: {}";
    keys_err_mode: "按键设置文件 {} 第 {} 行:没有 [{}] 这个模式。可用的模式:{}", "Key bindings file {}, line {}: there is no mode [{}]. The modes are: {}";
    keys_err_command: "按键设置文件 {} 第 {} 行:[{}] 中的 {} 绑定了未知命令“{}”。可用的命令:{}", "Key bindings file {}, line {}: in [{}], {} is bound to an unknown command \"{}\". The commands are: {}";
    keys_err_key: "按键设置文件 {} 第 {} 行:[{}] 中的按键“{}”无法识别。按键写作单个字符,或 enter esc tab backtab up down left right home end pageup pagedown delete backspace f1…f12,可加 ctrl- / alt- 前缀", "Key bindings file {}, line {}: in [{}], \"{}\" is not a key. A key is one character, or enter esc tab backtab up down left right home end pageup pagedown delete backspace f1…f12, with ctrl- / alt- in front";
    theme_err_unknown: "没有名为“{}”的主题(内置主题:dark、light、basic16)", "There is no theme \"{}\" (built in: dark, light, basic16)";
    theme_err_read: "无法读取主题文件 {}:{}", "Theme file {} cannot be read: {}";
    theme_err_parse: "主题文件 {} 第 {} 行格式有误:应为 [slots] 下一行一个 槽 = { fg = \"颜色\" }", "Theme file {}, line {}: not understood; write slot = { fg = \"colour\" } lines under [slots]";
    theme_err_slot: "主题文件 {} 第 {} 行:没有“{}”这个样式槽。可用的槽:{}", "Theme file {}, line {}: there is no slot \"{}\". The slots are: {}";
    theme_err_inherit: "主题文件 {} 第 {} 行:槽“{}”继承的“{}”不是样式槽。可用的槽:{}", "Theme file {}, line {}: slot \"{}\" inherits \"{}\", which is not a slot. The slots are: {}";
    theme_err_colour: "主题文件 {} 第 {} 行:槽“{}”的颜色“{}”无法识别(可写颜色名、0–255 的编号或 #rrggbb)", "Theme file {}, line {}: slot \"{}\" has \"{}\", which is not a colour (a colour name, 0–255 or #rrggbb)";
    theme_err_loop: "主题文件 {} 第 {} 行:槽“{}”的继承绕回了自身", "Theme file {}, line {}: slot \"{}\" inherits itself in a loop";
    warn_others_read: "警告：本机所有用户都能读取数据库文件（客户资料保密），请执行 chmod o-rwx", "Warning: every user of this machine can read the database (confidential): chmod o-rwx it";
    warn_others_write: "警告：本机所有用户都能改写数据库文件，请执行 chmod o-rwx", "Warning: every user of this machine can write the database: chmod o-rwx it";
    warn_folder_write: "警告：数据库所在目录人人可写，他人可替换文件，请收紧目录权限", "Warning: anyone can write the database's folder and replace the file: restrict the folder";
    // tamper evidence
    warn_schema_altered: "警告：数据库结构被 kam 以外的程序改动过，本次只读不写；请执行 kam check 查看", "Warning: the database's structure was changed outside kam; nothing is written this time: run kam check";
    screen_analysis: "经营分析", "Monthly analysis";
    analysis_all_units: "全部单位", "All units";
    analysis_in_yuan: "单位：元 · w 切换万元", "in yuan · w for 万元";
    analysis_in_wan: "单位：万元 · w 切换元", "in 万元 (10k yuan) · w for yuan";
    analysis_overview: "概况", "Overview";
    analysis_top: "前十名", "Top 10";
    analysis_fluctuations: "波动", "Fluctuations";
    analysis_movement: "新增与流失", "Gained and lost";
    analysis_month_total: "本月收入", "This month";
    analysis_mom: "环比", "MoM";
    analysis_yoy: "同比", "YoY";
    analysis_ytd: "本年累计", "Year to date";
    analysis_share: "占本单位收入", "Share of unit revenue";
    analysis_share_unknown: "(单位收入未录入)", "(unit revenue not entered)";
    analysis_customers_line: "客户 {} · 新增 {} · 流失 {}", "{} [customer|customers] · {} new · {} lost";
    analysis_trend: "近24个月收入", "Revenue, 24 months";
    analysis_by_tier: "按级别（本月收入）", "By tier (this month)";
    analysis_by_line: "按业务种类（本月收入）", "By service line (this month)";
    analysis_col_manager: "客户经理", "Manager";
    analysis_col_month: "本月", "This month";
    analysis_col_previous: "上月", "Last month";
    analysis_col_change: "变化", "Change";
    analysis_none: "无", "none";
    analysis_no_fluctuations: "本月没有超过30%的波动", "No move of more than 30% this month";
    // analysis: months after the ledger
    analysis_not_entered: "{} 的收入尚未录入(已录入至 {})", "Revenue for {} not entered yet (entered up to {})";
    analysis_nothing_entered: "{} 的收入尚未录入", "Revenue for {} not entered yet";
    analysis_customers_count: "客户 {}", "customers: {}";
    analysis_new: "新增客户（本月首次有收入）", "New customers (first revenue this month)";
    analysis_churned: "本月流失", "Lost this month";
    analysis_explain_hint: "未说明：按 e 填写波动原因，o 标记为一次性客户", "Not explained: e to explain, o to mark as a one-off customer";
    analysis_explain_prompt: "波动说明：", "Explanation: ";
    analysis_explain_empty: "请填写说明", "Write an explanation first";
    analysis_explained: "说明已保存", "Explanation saved";
    analysis_explained_by: "{}：{}", "{}: {}";
    // the analysis screen's period section (issue 16)
    analysis_period: "累计对比", "Period";
    analysis_period_against: "对比去年同期 {}", "against {}";
    analysis_period_keys: "{ } 起始月 · [ ] 截止月", "{ } first month · [ ] last month";
    analysis_period_all: "全部 {} 户", "All {}";
    analysis_period_like: "其中可比 {} 户", "Like for like {}";
    analysis_col_current: "本期", "This period";
    analysis_col_last_year: "去年同期", "Last year";
    analysis_col_change_amount: "增减", "Change";
    analysis_col_change_pct: "增减%", "Change %";
    analysis_col_share: "占比", "Share";
    analysis_one_off_set: "{} 已标记为一次性客户，不再计入波动", "{} marked as a one-off customer: no longer in the fluctuation review";
    analysis_one_off_cleared: "{} 不再是一次性客户", "{} is no longer a one-off customer";
    // goal indicators (目标指标, SPEC §15; issue 17): the panel, its target form, kam goals and kam goal-target
    goals_title: "目标指标", "Goal indicators";
    goals_keys_period: "{ } 起始月 · [ ] 截止月", "{ } first month · [ ] last month";
    goals_keys_unit: "u 换单位", "u unit";
    goals_keys_set: "Enter 设定目标", "Enter set the target";
    goals_col_indicator: "指标", "Indicator";
    goals_col_figure: "完成", "Figure";
    goals_col_basis: "分子/分母", "Counted";
    goals_col_target: "年度目标", "Target";
    goals_col_met: "达标", "Met";
    goals_col_formula: "计算方法", "Formula";
    goals_met: "达标", "met";
    goals_not_met: "未达标", "not met";
    goals_not_set: "未设定", "not set";
    goals_points: "{}个百分点", "{} points";
    goals_count: "{} 户", "{} [customer|customers]";
    goals_unit_revenue: "本单位收入 {}", "unit revenue {}";
    goals_key_customers: "大客户 {} 户(期初 {} 户)", "{} key [customer|customers] ({} at the start)";
    goals_rise: "较上年同期 {} 个百分点(上年同期 {})", "{} points against a year earlier ({} then)";
    goals_no_rise: "上年同期比重未知:无法判断提高幅度", "last year's share is not known: no rise to judge";
    goals_pace: "序时进度 {}", "the year's pace {}";
    goals_no_figure: "无数据:分母为零", "no figure: nothing to divide by";
    goals_no_plan: "未设定年度计划:本指标的年度目标即年度计划(元)", "no yearly plan: this indicator's target is the plan, in yuan";
    goals_no_requests: "限时服务需求尚未记录", "time-limited service requests are not recorded yet";
    goals_set_by: "{} 于 {} 设定", "set by {} on {}";
    goals_loading: "正在计算…", "Counting…";
    goals_form_title: "设定{}的{}年目标", "{} target for {}";
    goals_hint_rate: "百分比,如 95", "a percentage, e.g. 95";
    goals_hint_points: "比上年同期提高的百分点,如 1.5", "the rise in points over a year earlier, e.g. 1.5";
    goals_hint_count: "户数,如 3", "a number of customers, e.g. 3";
    goals_hint_amount: "年度计划金额(元),如 1200万", "the yearly plan in yuan, e.g. 12000000 or 1200万";
    goals_form_keys: "Enter 保存 · Esc 取消", "Enter save · Esc cancel";
    goals_saved: "已设定{}的{}年目标:{}", "{} target for {} set: {}";
    goals_read_only: "目标由本单位或上级单位的主管、客户管理员设定", "Targets are set by a supervisor of the unit or a unit above it, or the administrator";
    goals_err_empty: "请填写目标", "Enter a target";
    goals_err_number: "目标不是数字", "The target is not a number";
    goals_err_rate: "比率在 0% 到 100% 之间", "A rate is between 0% and 100%";
    goals_err_points: "百分点在 -100 到 100 之间", "A rise in points is between -100 and 100";
    goals_err_count: "户数是 0 或正整数", "A count is a whole number, 0 or more";
    goals_err_plan: "年度计划须大于零", "The yearly plan must be above zero";
    goals_cli_title: "目标指标 · {} · {}", "Goal indicators · {} · {}";
    goals_cli_written: "已写入 {}:{} · {}", "Wrote {}: {} · {}";
    goals_cli_unknown_indicator: "没有指标“{}”;指标:{}", "No indicator '{}'; indicators: {}";
    goals_cli_bad_year: "年份“{}”不对:应为四位数字,如 2026", "Year '{}' is not a year: four digits, e.g. 2026";
    goals_cli_bad_target: "目标“{}”:{}", "Target '{}': {}";
    goals_cli_set: "{} · {}年 · {}:{}(第 {} 版)", "{} · {} · {}: {} (version {})";
    goals_csv_code: "指标代码", "indicator";
    goals_csv_numerator: "分子", "numerator";
    goals_csv_denominator: "分母", "denominator";
    // The monthly analysis report (经营分析报告, SPEC §13.4)
    ar_title: "经营分析报告", "Monthly analysis report";
    ar_title_quarterly: "钻石、黄金客户季度分析", "Quarterly diamond and gold analysis";
    ar_part_overall: "一、上月总体情况", "1. Last month overall";
    // The quarterly analysis report: the quarter's figures (SPEC §13.4)
    ar_quarter_name: "{}年第{}季度", "Q{} {}";
    ar_quarter_overall: "{}总体情况", "{} overall";
    ar_part_overall_quarter: "一、本季度总体情况", "1. The quarter overall";
    ar_quarter_revenue: "本季度收入合计(元)", "Revenue this quarter (yuan)";
    ar_quarter_previous: "上季度(元)", "Previous quarter (yuan)";
    ar_quarter_year_ago: "去年同季度(元)", "Same quarter last year (yuan)";
    ar_quarter_like_customers: "可比客户(两期均有收入)", "Like-for-like customers (revenue in both)";
    ar_quarter_like_current: "可比客户本季度(元)", "Like for like, this quarter (yuan)";
    ar_quarter_like_year_ago: "可比客户去年同季度(元)", "Like for like, same quarter last year (yuan)";
    ar_quarter_unit_revenue: "本单位本季度收入(元)", "Unit's revenue this quarter (yuan)";
    ar_quarter_diamond_gold: "{}钻石、黄金客户({} 户)", "{}: diamond and gold customers ({})";
    ar_quarter_last_month: "以下为季末月 {} 的月度情况", "Below: the quarter's last month, {}";
    ar_col_quarter: "本季度(元)", "This quarter (yuan)";
    ar_col_quarter_year_ago: "去年同季度(元)", "Same quarter last year (yuan)";
    ar_part_tiers: "二、分级客户情况", "2. By tier";
    ar_part_competition: "三、竞争情况", "3. Competition";
    ar_part_fluctuations: "四、收入波动客户", "4. Fluctuations";
    ar_part_key: "五、重点客户专题", "5. Key customers";
    ar_part_measures: "六、服务措施与营销活动", "6. Service measures and marketing";
    ar_part_plan: "七、本月工作计划", "7. This month's work plan";
    ar_reasons: "原因分析", "Reasons";
    ar_status: "状态", "Status";
    ar_status_draft: "草稿", "draft";
    ar_status_submitted: "已提交", "submitted";
    ar_deadline: "截止 {}", "due {}";
    ar_overdue: "已逾期", "overdue";
    ar_submitted_by: "{} 于 {} 提交", "submitted by {} on {}";
    ar_saved_by: "{} 于 {} 保存", "saved by {} on {}";
    ar_not_written: "(未填写)", "(not written)";
    ar_not_started: "未开始", "not started";
    ar_figures_live: "数字取自当前台账,提交时冻结", "Figures from the ledger as it stands; frozen on submission";
    ar_figures_frozen: "数字为提交时的快照", "Figures as frozen on submission";
    ar_gained_lost: "新增客户 {} 户,流失 {} 户", "{} [customer|customers] gained, {} lost";
    ar_gained: "新增客户", "Customers gained";
    ar_lost: "流失客户", "Customers lost";
    ar_statuses: "客户状态", "Customer status";
    ar_not_explained: "(未说明)", "(not explained)";
    ar_explanation: "原因", "Reason";
    ar_hint_edit: "↑↓ 选择 · Enter 编辑 · Ctrl-S 保存草稿 · p 提交 · Esc 返回", "↑↓ part · Enter edit · Ctrl-S save draft · p submit · Esc back";
    ar_hint_submitted: "已提交 · R 退回修改(主管) · Esc 返回", "Submitted · R reopen (supervisor) · Esc back";
    ar_hint_read: "只读 · ↑↓ 翻看 · Esc 返回", "Read only · ↑↓ scroll · Esc back";
    ar_editing: "编辑:{} · Enter 完成 · Esc 放弃本段修改", "Editing {} · Enter done · Esc drop this part's changes";
    ar_saved: "草稿已保存", "Draft saved";
    ar_submit_confirm: "提交 {} 的报告?提交后数字冻结,只有主管可退回。(y/n)", "Submit the report of {}? Its figures are frozen; only a supervisor can reopen it. (y/n)";
    ar_submitted: "报告已提交", "Report submitted";
    ar_reopen_confirm: "退回 {} 的报告为草稿?(y/n)", "Reopen the report of {} as a draft? (y/n)";
    ar_reopened: "报告已退回为草稿", "Report reopened as a draft";
    ar_unsaved: "有未保存的修改:Ctrl-S 保存,再按 Esc 放弃", "Unsaved changes: Ctrl-S saves, Esc again drops them";
    ar_choose_unit: "报告按单位编写:请先按 u 选择单位", "Reports are per unit: press u to choose one first";
    ar_written: "已写入 {}:{} {} 经营分析报告({})", "Wrote {}: analysis report of {} for {} ({})";
    ar_generated: "{} 生成", "Generated {}";
    today_reports: "待报经营分析报告", "Analysis reports due";
    err_report_submitted: "报告已提交,需先退回修改", "The report is submitted: reopen it first";
    err_report_changed: "别人刚保存了这份报告,请重新打开后再改", "Someone else saved this report meanwhile: open it again";
    err_part_too_long: "“{}”太长", "“{}” is too long";
    log_none: "没有符合条件的营销日志", "No log entries match";
    log_actions: "Enter 详情 n 写日志 c 批阅 t 阶段 f 范围 p 期间 / 搜索", "Enter read  n write  c comment  t stage  f scope  p period  / search";
    log_comments: "批阅 {}", "{} [comment|comments]";
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
    yes: "是", "yes";
    none: "无", "none";
    revenue_tab_title: "用邮收入", "Revenue";
    revenue_tab_no_revenue: "近24个月没有收入记录", "No revenue in the last 24 months";
    revenue_tab_one_off: "一次性客户", "one-off customer";
    revenue_tab_last12: "近12个月合计", "Last 12 months";
    revenue_tab_mom: "环比", "MoM";
    revenue_tab_min: "最低", "min";
    revenue_tab_max: "最高", "max";
    revenue_tab_in_yuan: "单位：元", "in yuan";
    revenue_tab_in_wan: "单位：万元", "in 万元 (10k yuan)";
    revenue_tab_col_month: "月份", "Month";
    revenue_tab_col_total: "合计", "Total";
    revenue_tab_columns: "业务种类 {}–{}/{}", "Lines {}–{} of {}";
    revenue_tab_total_readonly: "合计不可改，请改业务种类", "Edit a line, not the total";
    revenue_tab_edit_hint: "{} {}：金额（元，可写“万”，留空为0）· {} 保存 · {} 取消", "{} {}: amount in yuan (or 12.5万; empty = 0) · {} save · {} cancel";
    revenue_tab_saved: "已保存 {} {}：{}", "Saved {} {}: {}";
    revenue_tab_status_changed: "状态 {} → {}", "status {} → {}";
    // volume (用邮量) and returned mail (退信)
    volume_unknown_reason: "没有代码为 {} 的退信原因", "No return reason has the code {}";
    volume_per_entry: "用邮量按客户、月份、业务种类逐项计数", "Volume is counted per customer, month and service line";
    volume_returns_per_entry: "退信按客户、月份逐项计数", "Returned mail is counted per customer and month";
    volume_err_returned_over_posted: "退信 {} 件多于交寄 {} 件", "{} [piece|pieces] returned, more than the {} posted";
    volume_err_reasons_over_returned: "各退信原因合计 {} 件,多于退信 {} 件", "The reasons add up to {} [piece|pieces], more than the {} returned";
    volume_err_unknown_reason_columns: "不认识的列(不是退信原因):{}", "Unknown columns (not a return reason): {}";
    volume_col_pieces: "件数", "Pieces";
    volume_in_pieces: "单位:件", "in pieces";
    volume_showing_pieces: "业务种类列为件数", "line columns in pieces";
    volume_returns_line: "{} 退信:交寄 {} 件 · 退信 {} 件 · 退信率 {}", "{} returned mail: {} posted · {} returned · rate {}";
    volume_returns_none: "{} 无退信记录", "{}: no returned mail recorded";
    volume_edit_hint: "{} {}:件数(整数,留空为0)· {} 保存 · {} 取消", "{} {}: pieces (a whole number; empty = 0) · {} save · {} cancel";
    volume_saved: "已保存 {} {}:{} 件", "Saved {} {}: {} [piece|pieces]";
    volume_measure_revenue: "按收入", "on revenue";
    volume_measure_volume: "按用邮量(件)", "on volume (pieces)";
    volume_fluct_heading: "波动口径:{}", "Fluctuation measure: {}";
    volume_report_measure: "波动口径", "Fluctuation measure";
    volume_report_col_pieces: "本月用邮量(件)", "Pieces this month";
    volume_report_col_pieces_previous: "上月用邮量(件)", "Pieces last month";
    volume_report_col_posted: "交寄(件)", "Posted";
    volume_report_col_returned: "退信(件)", "Returned";
    volume_report_col_rate: "退信率", "Return rate";
    volume_report_col_explanation: "波动说明", "Explanation";
    volume_report_fluct_title: "波动超过30%的客户 {} {}", "Customers moving more than 30%, {} {}";
    // kam migrate: a bureau's SQLite file into the province's PostgreSQL database
    migrate_done: "已迁入:{} → {},用时 {} 秒", "Migrated {} into {} in {} s";
    migrate_dry_run: "试运行,未写入任何数据:{} → {},用时 {} 秒", "Dry run, nothing written: {} into {}, {} s";
    migrate_col_table: "数据", "Data";
    migrate_col_rows: "迁入行数", "Rows copied";
    migrate_col_merged: "省库已有(沿用)", "Already there (kept)";
    migrate_history_linked: "历史记录已接入省库的哈希链,自第 {} 条起", "History linked onto the province's hash chain from row {} on";
    migrate_renumbered: "投诉编号续接省库编号:{} 年的 {} 件由 {}–{} 改为 {}–{}", "Complaint numbers continue the province's: in {}, {} [complaint|complaints] renumbered from {}–{} to {}–{}";
    migrate_clashes: "省库中已有下列数据,未写入任何数据:", "The province database has these already; nothing was written:";
    migrate_clash_customer: "客户编号 {}", "customer ID {}";
    migrate_clash_unit: "单位代码 {}", "unit code {}";
    migrate_clash_login: "登录名 {}", "staff login {}";
    migrate_clash_complaint: "投诉编号 {}", "complaint number {}";
    migrate_clash_setting: "设置 {}:省库为“{}”,本文件为“{}”", "setting {}: \"{}\" in the province database, \"{}\" in the file";
    migrate_clash_other: "{} {} = {}", "{} {} = {}";
    migrate_refused_clashes: "{} 处冲突,未迁移任何数据", "{} [clash|clashes]; nothing was migrated";
    migrate_refused_chain: "{} 的历史记录哈希链校验不通过(记录 {}),未迁移;请先用 kam check 查明", "The history hash chain of {} does not verify (rows {}); nothing was migrated. Run kam check on it first";
    migrate_refused_schema: "{} 的数据库结构在 kam 之外被改动过,未迁移;请先运行 kam check", "The schema of {} was changed outside kam; nothing was migrated. Run kam check on it first";
    migrate_refused_superuser: "迁移须以 PostgreSQL 超级用户连接(当前为 {})", "kam migrate must connect as a PostgreSQL superuser (connected as {})";
    migrate_to_not_server: "--to 应为 PostgreSQL 连接串(postgresql://…):{}", "--to must be a PostgreSQL connection string (postgresql://…): {}";
    migrate_from_not_file: "--from 应为 kam 的 SQLite 数据库文件:{}", "--from must be a kam SQLite database file: {}";
    migrate_unknown_under: "省库中没有代码为 {} 的单位", "The province database has no unit with the code {}";
    migrate_under_level: "{}({})不能放在{}之下", "{} ({}) cannot sit under a {} unit";
    // kam migrate's record of itself in the province database (kam_migration)
    migrate_recorded: "已记入省库迁移记录第 {} 条(源文件 SHA-256 {})", "Recorded as migration {} in the province database (source SHA-256 {})";
    // kam import
    import_line: "第 {} 行", "Line {}";
    import_bad_rows: "{} 行有错误,未导入任何数据", "Rows with errors: {}. Nothing was imported";
    import_summary: "读取 {} 行:新增 {},更新 {},未变 {}", "{} [row|rows] read: {} inserted, {} updated, {} unchanged";
    import_dry_run: "试运行,未写入:读取 {} 行,将新增 {},更新 {},未变 {}", "Dry run, nothing written: {} [row|rows] read; would insert {}, update {}, leave {} unchanged";
    import_per_entry: "收入按客户、月份、业务种类逐项计数", "Revenue is counted per customer, month and service line";
    import_statuses: "客户状态随之变化:{} 户", "Customer statuses changed: {}";
    import_encoding: "文件编码:{}", "File encoding: {}";
    import_not_used: "未导入的列:{}", "Columns not imported: {}";
    import_registration_reason: "批量导入的既有客户档案", "Imported from the existing customer book";
    import_err_encoding: "无法识别文件编码:请存为 UTF-8 或 GBK", "Unknown file encoding: save the file as UTF-8 or GBK";
    import_err_empty: "文件是空的,没有表头", "The file is empty: no header row";
    import_err_unreadable: "无法读取 CSV:{}", "Cannot read the CSV: {}";
    import_err_missing_column: "缺少列:{}", "Missing column: {}";
    import_err_duplicate_column: "列重复:{}", "Column given twice: {}";
    import_err_unknown_columns: "不认识的列(不是业务种类):{}", "Unknown columns (not a service line): {}";
    import_err_no_revenue_columns: "没有收入列:长表需要“业务种类”和“收入(元)”两列,宽表每个业务种类一列", "No revenue columns: a long table needs service_line and amount, a wide table one column per service line";
    import_err_month: "“{}”{}", "\"{}\": {}";
    // months (exactly one month: a period or a day is refused with its reason;
    // zh reads "“text”" + predicate, en "\"text\": " + phrase)
    month_why_empty: "没有填写月份", "no month given";
    month_why_period: "是一段时间(多个月),不是一个月,请按月分开填写", "a period of several months, not one month; give each month on its own";
    month_why_day: "是某一天,不是月份(请写 2026-10 这样的月份)", "a day, not a month (write the month, e.g. 2026-10)";
    month_why_no_such: "不是有效的月份(月份为 1–12)", "no such month (months are 1–12)";
    month_why_unreadable: "不是月份,请写成 YYYY-MM(如 2026-10)、2026年10月 或 202610", "not a month; write YYYY-MM (e.g. 2026-10), 2026年10月 or 202610";
    unit_revenue_bad_period: "--period 应为年份(2026)、月份(2026-10)或同一年内的期间(2026-01..2026-10):“{}”{}", "--period must be a year (2026), a month (2026-10) or months of one year (2026-01..2026-10); \"{}\": {}";
    import_err_future_month: "{} 还没到", "{} is in the future";
    import_err_id_scientific: "编号被 Excel 存成了科学计数法,请把该列设为文本后重新导出", "Excel saved the ID in scientific notation; format the column as text and export again";
    import_err_customer_unknown: "找不到客户 {}", "No customer {}";
    import_err_line_unknown: "不认识的业务种类:{}", "Unknown service line: {}";
    import_err_unit_unknown: "不认识的单位:{}", "Unknown unit: {}";
    import_err_staff_unknown: "不认识的员工:{}", "Unknown staff member: {}";
    import_err_staff_ambiguous: "有多名员工叫 {},请填登录名", "Several staff are called {}; use the login";
    import_err_industry_unknown: "不认识的行业:{}", "Unknown industry: {}";
    import_err_choice: "“{}”不是可选值,可填:{}", "'{}' is not allowed; use one of: {}";
    import_err_duplicate: "与第 {} 行重复", "Same as line {}";
    import_err_extra_cells: "单元格比表头多(名称里有没加引号的逗号?)", "More cells than headers (an unquoted comma?)";
    import_err_missing_for_new: "{}:新客户必须填写", "{}: required for a new customer";
    import_err_no_id_or_name: "须填写客户编号或客户全称", "Give the customer ID or the full name";
    import_err_name_ambiguous: "多个客户全称相同({}),请填客户编号", "Several customers have this full name ({}); give the ID";
    import_err_similar_name: "已有名称相近的客户 {} {};如是同一客户请填其编号", "A customer with a very similar name exists: {} {}; give its ID if it is the same";
    import_err_person_ambiguous: "该客户有多位同名人士,无法确定更新哪一位", "This customer has several key persons of this name; cannot tell which to update";
    // visit import (kam import visits)
    import_err_visit_time: "“{}”不是拜访时间,请写成 2026-10-15 14:30 或 2026-10-15", "\"{}\" is not a visit time; write 2026-10-15 14:30 or 2026-10-15";
    import_err_future_visit: "{} 还没到:只能导入已完成的拜访", "{} is in the future: only visits already made can be imported";
    import_err_visit_kind: "不认识的拜访方式:{}(可填:{})", "Unknown visit kind: {} (use one of: {})";
    import_visit_kinds_separator: "、", ", ";
    import_err_customer_not_allowed: "不能为该客户记录拜访:{}", "Cannot record visits of this customer: {}";
    import_visits_done: "导入的拜访均记为已完成,记在所填客户经理名下", "Imported visits are recorded as done, in the diary of the account manager named";
}

/// Fills each `{}` in `template` with the next argument. A `[one|other]`
/// after a hole picks the English singular or plural by the number just
/// filled in: `"{} [customer|customers]"` gives `1 customer`, `2 customers`.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut last = String::new();
    let mut rest = template;
    loop {
        let hole = rest.find("{}");
        let choice = rest.find('[').and_then(|open| plural_choice(&rest[open..]).map(|c| (open, c)));
        match (hole, choice) {
            (Some(h), Some((open, _))) if h < open => {}
            (_, Some((open, (one, other, len)))) => {
                out.push_str(&rest[..open]);
                out.push_str(if last == "1" { one } else { other });
                rest = &rest[open + len..];
                continue;
            }
            _ => {}
        }
        let Some(pos) = hole else { break };
        out.push_str(&rest[..pos]);
        last = args.next().map(|a| a.to_string()).unwrap_or_default();
        out.push_str(&last);
        rest = &rest[pos + 2..];
    }
    out.push_str(rest);
    out
}

/// `[one|other]` at the start of `text`: (one, other, bytes taken).
fn plural_choice(text: &str) -> Option<(&str, &str, usize)> {
    let end = text.find(']')?;
    let (one, other) = text[1..end].split_once('|')?;
    let plain = |s: &str| !s.contains(['[', '|', '{']);
    (plain(one) && plain(other)).then_some((one, other, end + 1))
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
    fn english_counts_are_singular_or_plural() {
        assert_eq!(fill(EN.count_of, &[&1]), "1 customer");
        assert_eq!(fill(EN.count_of, &[&2]), "2 customers");
        assert_eq!(fill(EN.count_of, &[&0]), "0 customers");
        assert_eq!(fill(EN.standards_summary, &[&1, &1]), "1 customer, 1 behind");
        assert_eq!(fill(EN.form_has_errors, &[&1]), "1 field needs correcting; nothing you typed was lost");
        assert_eq!(fill(EN.form_has_errors, &[&3]), "3 fields need correcting; nothing you typed was lost");
        assert_eq!(fill(EN.import_summary, &[&1, &0, &1, &0]), "1 row read: 0 inserted, 1 updated, 0 unchanged");
        assert_eq!(fill(EN.log_comments, &[&1]), "1 comment");
        assert_eq!(fill(ZH.count_of, &[&1]), "共 1 户");
    }

    /// Every English string that puts a number before a noun says it with a
    /// plural choice, so no count can read "1 customers".
    #[test]
    fn english_count_strings_choose_their_plural() {
        for (key, zh, en) in ALL {
            assert!(!zh.contains('|'), "{key}: the Chinese needs no plural");
            for n in [1, 2] {
                let args: Vec<&dyn std::fmt::Display> = vec![&n; 8];
                let text = fill(en, &args);
                // A choice left unresolved keeps its '|'; a '[' alone is a
                // table of a key bindings file ("[list]"), written as the user writes it.
                assert!(!text.contains('|'), "{key}: {text}");
                if n == 1 {
                    for plural in [" customers", " visits", " rows", " fields", " comments", " tiers", " proposals"] {
                        assert!(!text.contains(&format!("1{plural}")), "{key}: {text}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_hole_count_matches_between_languages() {
        for (key, zh, en) in ALL {
            assert_eq!(zh.matches("{}").count(), en.matches("{}").count(), "{key}");
            assert!(!zh.is_empty() && !en.is_empty(), "{key}");
        }
    }
}
