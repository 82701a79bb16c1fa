//! The application: the screen stack and the one loop
//! (event → msg → screen → actions → update → render).

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::ctx::Ctx;
use crate::keymap::Command;
use crate::keymap::Mode;
use crate::msg::{Action, MainScreen, Msg};
use crate::ui::screens::calendar::{CalendarScreen, Scope};
use crate::ui::screens::complaint_form::ComplaintFormScreen;
use crate::ui::screens::complaints::ComplaintsScreen;
use crate::ui::screens::log_entry::LogEntryScreen;
use crate::ui::screens::{
    customers::CustomerList, dossier::DossierScreen, form::FormScreen, month_plan::MonthPlanScreen,
    standards::StandardsScreen, today::TodayScreen, visit_form::VisitFormScreen,
};
pub use crate::ui::widgets::status_bar::Status;
use crate::ui::widgets::{help, status_bar};
use crate::ui::{Screen, too_small};

pub struct App {
    pub ctx: Ctx,
    screens: Vec<Box<dyn Screen>>,
    status: Option<Status>,
    help_open: bool,
    quit: bool,
    /// Ctrl-C was pressed once over unsaved typing: a second one quits.
    quit_armed: bool,
    /// The day the screens were last told about (see [`App::roll_over`]).
    day: NaiveDate,
    /// Something changed without a key (the day turned): draw even on a tick.
    redraw: bool,
}

impl App {
    pub fn new(ctx: Ctx) -> App {
        let day = ctx.today();
        let mut app = App {
            ctx,
            screens: Vec::new(),
            status: None,
            help_open: false,
            quit: false,
            quit_armed: false,
            day,
            redraw: false,
        };
        app.go(MainScreen::Today);
        app
    }

    /// True once after something changed that a tick alone would not draw.
    pub fn take_redraw(&mut self) -> bool {
        std::mem::take(&mut self.redraw)
    }

    /// When the clock has passed midnight since the last message, tells every
    /// open screen (top first) so that today's lists, marks and overdue states
    /// move to the new day without a key. Checked on every message, so a
    /// session that stays open overnight notices within one tick.
    fn roll_over(&mut self) {
        let today = self.ctx.today();
        if today == self.day {
            return;
        }
        let msg = Msg::DayChanged { from: self.day, to: today };
        self.day = today;
        self.redraw = true;
        let top = self.screens.len();
        let mut actions = Vec::new();
        for (i, screen) in self.screens.iter_mut().enumerate().rev() {
            let asked = screen.handle(&mut self.ctx, &msg);
            // Only the screen on top may ask for something; the others just reload.
            if i + 1 == top {
                actions = asked;
            }
        }
        for action in actions {
            self.update(action);
        }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Shows a warning in the status bar (e.g. about the file's permissions at start).
    pub fn warn(&mut self, text: String) {
        self.status = Some(Status::Error(text));
    }

    /// Shows a piece of news in the status bar (e.g. the tiers re-computed at start).
    pub fn inform(&mut self, text: String) {
        self.status = Some(Status::Info(text));
    }

    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    pub fn top(&self) -> &dyn Screen {
        self.screens.last().map(|s| s.as_ref()).expect("the customer list is never popped")
    }

    /// One message through the current screen, then its actions through `update`.
    pub fn handle(&mut self, msg: &Msg) {
        self.roll_over();
        if let Msg::Key(key) = msg {
            if self.help_open {
                self.help_open = false;
                return;
            }
            // Keys clear a stale message; the screen may set a new one.
            self.status = None;
            let typing = self.screens.last().is_some_and(|s| s.is_typing());
            let command = self.ctx.keymap.lookup(Mode::Global, key);
            // Quit needs Ctrl while typing (a plain letter bound to it would be text).
            if command == Some(Command::Quit)
                && (!typing || key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL))
            {
                return self.quit_asking_first();
            }
            self.quit_armed = false;
            if !typing {
                match command {
                    Some(Command::Help) => {
                        self.help_open = true;
                        return;
                    }
                    Some(Command::GotoToday) => return self.go(MainScreen::Today),
                    Some(Command::GotoCustomers) => return self.go(MainScreen::Customers),
                    Some(Command::GotoCalendar) => return self.go(MainScreen::Calendar),
                    Some(Command::GotoStandards) => return self.go(MainScreen::Standards),
                    Some(Command::GotoComplaints) => return self.go(MainScreen::Complaints),
                    Some(Command::GotoLog) => return self.go(MainScreen::Log),
                    Some(Command::GotoAnalysis) => return self.go(MainScreen::Analysis),
                    Some(Command::GotoSetup) => return self.go(MainScreen::Setup),
                    Some(Command::GotoAppraisal) => return self.go(MainScreen::Appraisal),
                    Some(Command::GotoRequests) => return self.go(MainScreen::Requests),
                    _ => {}
                }
            }
        }
        let actions = match self.screens.last_mut() {
            Some(screen) => screen.handle(&mut self.ctx, msg),
            None => Vec::new(),
        };
        for action in actions {
            self.update(action);
        }
    }

    /// Quits, unless a form holds unsaved typing: then the first press only
    /// asks (as Esc does in a form), and a second one quits.
    fn quit_asking_first(&mut self) {
        if self.quit_armed || !self.screens.iter().any(|s| s.unsaved()) {
            self.quit = true;
            return;
        }
        self.quit_armed = true;
        self.status = Some(Status::Error(self.ctx.t().quit_unsaved.to_string()));
    }

    fn update(&mut self, action: Action) {
        // Nobody types a whole form only to be refused at the end: the rules the
        // save will apply are asked before the form opens.
        if let Some(why) = crate::ui::gate::refusal(&self.ctx, &action) {
            self.status = Some(Status::Error(why));
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Back => self.pop(),
            Action::Saved => {
                self.pop();
                self.status = Some(Status::Info(self.ctx.t().form_saved.to_string()));
            }
            Action::OpenDossier(id) => match DossierScreen::open(&mut self.ctx, &id) {
                Ok(screen) => self.screens.push(Box::new(screen)),
                Err(e) => self.status = Some(Status::Error(self.ctx.describe(&e))),
            },
            Action::OpenPlans(id) => match DossierScreen::open(&mut self.ctx, &id) {
                Ok(screen) => self.screens.push(Box::new(screen.on_plans())),
                Err(e) => self.status = Some(Status::Error(self.ctx.describe(&e))),
            },
            Action::OpenForm(request) => {
                let form = FormScreen::new(&self.ctx, *request);
                self.screens.push(Box::new(form));
            }
            Action::OpenVisitForm(request) => {
                let form = VisitFormScreen::new(&self.ctx, *request);
                self.screens.push(Box::new(form));
            }
            Action::Go(main) => self.go(main),
            Action::OpenLogForm(request) => {
                let form = crate::ui::screens::log_form::LogFormScreen::new(&self.ctx, *request);
                self.screens.push(Box::new(form));
            }
            Action::OpenLogEntry(id) => match LogEntryScreen::open(&mut self.ctx, id) {
                Ok(screen) => self.screens.push(Box::new(screen)),
                Err(e) => self.status = Some(Status::Error(self.ctx.describe(&e))),
            },
            Action::OpenReport(key) => match crate::ui::screens::report::ReportScreen::open(&mut self.ctx, key) {
                Ok(screen) => self.screens.push(Box::new(screen)),
                Err(e) => self.status = Some(Status::Error(self.ctx.describe(&e))),
            },
            Action::OpenComplaintForm(request) => {
                let form = ComplaintFormScreen::new(&self.ctx, *request);
                self.screens.push(Box::new(form));
            }
            Action::OpenServiceForm(request) => {
                let form = crate::ui::screens::request_form::RequestFormScreen::new(&self.ctx, *request);
                self.screens.push(Box::new(form));
            }
            Action::OpenRequest(id) => match crate::ui::screens::requests::RequestsScreen::open(&self.ctx, id) {
                Ok(screen) => self.screens.push(Box::new(screen)),
                Err(e) => self.status = Some(Status::Error(self.ctx.describe(&e))),
            },
            Action::OpenContracts => {
                let screen = crate::ui::screens::contracts::ContractsScreen::new(&self.ctx);
                self.screens.push(Box::new(screen));
            }
            Action::OpenContract(id) => match crate::ui::screens::contracts::ContractScreen::open(&self.ctx, id) {
                Ok(screen) => self.screens.push(Box::new(screen)),
                Err(e) => self.status = Some(Status::Error(self.ctx.describe(&e))),
            },
            Action::OpenContractForm(request) => {
                let form = crate::ui::screens::contracts::ContractFormScreen::new(&self.ctx, *request);
                self.screens.push(Box::new(form));
            }
            Action::OpenPipeline(focus) => {
                let screen = crate::ui::screens::pipeline::PipelineScreen::new(&self.ctx, focus.as_ref());
                self.screens.push(Box::new(screen));
            }
            Action::OpenPipelineForm(request) => {
                let form = crate::ui::screens::pipeline::PipelineFormScreen::new(&self.ctx, *request);
                self.screens.push(Box::new(form));
            }
            Action::PlanMonth(month) => {
                let screen = MonthPlanScreen::new(&self.ctx, month);
                self.screens.push(Box::new(screen));
            }
            Action::Info(text) => self.status = Some(Status::Info(text)),
            Action::Error(text) => self.status = Some(Status::Error(text)),
        }
    }

    /// Starts over from one of the main screens.
    fn go(&mut self, main: MainScreen) {
        let screen: Box<dyn Screen> = match main {
            MainScreen::Today => Box::new(TodayScreen::new(&self.ctx)),
            MainScreen::Customers => Box::new(CustomerList::new(&mut self.ctx)),
            MainScreen::Calendar => Box::new(CalendarScreen::new(&self.ctx, Scope::Mine)),
            MainScreen::Standards => Box::new(StandardsScreen::new(&self.ctx)),
            MainScreen::Complaints => Box::new(ComplaintsScreen::new(&self.ctx)),
            MainScreen::Log => Box::new(crate::ui::screens::marketing::LogScreen::new(&self.ctx)),
            MainScreen::Analysis => Box::new(crate::ui::screens::analysis::AnalysisScreen::new(&self.ctx)),
            MainScreen::Setup => Box::new(crate::ui::screens::setup::SetupScreen::new(&self.ctx)),
            MainScreen::Appraisal => Box::new(crate::ui::screens::appraisal::AppraisalScreen::new(&self.ctx)),
            MainScreen::Requests => Box::new(crate::ui::screens::requests::RequestsScreen::new(&self.ctx)),
        };
        self.screens.clear();
        self.screens.push(screen);
    }

    /// Closes the top screen (the first screen stays) and lets the one below reload.
    fn pop(&mut self) {
        if self.screens.len() > 1 {
            self.screens.pop();
            if let Some(s) = self.screens.last_mut() {
                s.resume(&mut self.ctx);
            }
        }
    }

    pub fn draw(&mut self, f: &mut Frame) {
        let area = f.area();
        if too_small(area) {
            crate::ui::draw_too_small(f, area, &self.ctx.theme, self.ctx.t());
            return;
        }
        let bar = status_bar::Bar {
            status: self.status.as_ref(),
            user: &self.ctx.user,
            today: self.day,
            lang: self.ctx.lang,
            theme: &self.ctx.theme,
        };
        let bar_h = bar.height(area);
        let [body, bar_area] = Layout::vertical([Constraint::Min(1), Constraint::Length(bar_h)]).areas(area);
        if let Some(screen) = self.screens.last_mut() {
            screen.draw(f, body, &self.ctx);
        }
        bar.draw(f, bar_area, area);
        if self.help_open {
            let modes = self.screens.last().map(|s| s.key_modes()).unwrap_or(&[Mode::Global]);
            help::draw(f, body, &self.ctx.keymap, self.ctx.lang, &self.ctx.theme, modes);
        }
    }
}

/// The loop, generic over the backend so tests drive it with `TestBackend` and
/// scripted messages exactly as the terminal does.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: impl IntoIterator<Item = Msg>,
) -> Result<(), B::Error> {
    terminal.draw(|f| app.draw(f))?;
    for msg in events {
        let tick = matches!(msg, Msg::Tick);
        app.handle(&msg);
        if app.should_quit() {
            break;
        }
        // A tick draws only when it brought something (a new day).
        if app.take_redraw() || !tick {
            terminal.draw(|f| app.draw(f))?;
        }
    }
    Ok(())
}

/// Helper for screens: the area minus a margin, never negative.
pub fn inset(area: Rect, dx: u16, dy: u16) -> Rect {
    Rect {
        x: area.x.saturating_add(dx),
        y: area.y.saturating_add(dy),
        width: area.width.saturating_sub(dx * 2),
        height: area.height.saturating_sub(dy * 2),
    }
}
