# ferd's interface in English. Every message here must also be in nb.ftl (a test checks).

skip-to-content = Skip to content
demo-banner = Demo practice: every person and every number here is invented. Do not enter real information.
nav-label = Main menu
nav-dashboard = Today
nav-clients = Clients
nav-inquiries = Inquiries
nav-admin = Administration
nav-portal = My page
nav-journal = Journal
nav-account = Account
sign-out = Sign out
footer-text = ferd keeps health information encrypted and records every access. Answers are not watched around the clock.
yes = Yes
no = No
minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}

## Errors
error-title-not-found = Not found
error-title-forbidden = Not allowed
error-title-too-many = Too many attempts
error-title-bad-request = Something in the request was wrong
error-title-internal = Something went wrong
error-not-found = There is nothing here, or you do not have access to it.
error-forbidden = Your role does not give access to this page.
error-csrf = The form was out of date. Go back, reload the page and try again.
error-too-many = Too many attempts. Wait a few minutes and try again.
error-bad-request = Something in what was sent could not be used. Go back and check the form.
error-internal = ferd could not finish this. Nothing was saved. Try again, and tell the practice's administrator if it keeps happening.
error-status = Status
error-back = Go to the start page
error-name-required = Write a name (1–200 characters).
error-birth-year = Write the birth year as four digits, between 1900 and 2100.
error-email = Write a valid e-mail address.
error-language = Choose a language.
error-email-taken = Someone already uses this e-mail address.
error-disable-self = You cannot disable your own account.
form-has-errors = Please correct the following:

## Sign-in
login-title = Sign in
login-submit = Sign in
login-help = Forgotten your password? Ask the practice's administrator to set a new one. Clients: ask your therapist for a new invitation.
login-failed = The e-mail address or the password is wrong.
login-locked = Too many failed attempts. Sign-in is locked for 15 minutes.
field-email = E-mail address
field-password = Password
field-code = Six-digit code
two-factor-title = Two-factor sign-in
two-factor-intro = Open your authenticator app and type the six-digit code it shows for ferd.
two-factor-submit = Confirm
two-factor-cancel = Cancel and sign out
two-factor-wrong = The code is wrong or has already been used. Wait for the next code and try again.
two-factor-on = On
two-factor-off = Not set up
two-factor-required = required by your practice
enrol-title = Set up two-factor sign-in
enrol-intro = Your practice requires a second step when you sign in: a code from an authenticator app on your phone.
enrol-step-app = Install an authenticator app (for example FreeOTP, Aegis, Google Authenticator or Microsoft Authenticator).
enrol-step-scan = Scan this code with the app.
enrol-qr-alt = QR code for setting up the authenticator app
enrol-manual = Or type this key into the app:
enrol-uri = Set-up address
enrol-step-code = Type the six-digit code the app now shows.
enrol-submit = Turn on two-factor sign-in
sign-out-everywhere-title = Sign out everywhere
sign-out-everywhere-text = Ends every session with your account, on all browsers and devices, including this one.
sign-out-everywhere = Sign out everywhere

## Passwords
field-new-password = New password
field-confirm-password = Repeat the password
field-current-password = Current password
password-rule = At least 12 characters. A few unrelated words make a good password.
password-too-short = The password must have at least 12 characters.
password-too-long = The password is too long (at most 1000 characters).
password-is-email = The password must not be your e-mail address.
password-mismatch = The two passwords are not the same.
password-current-wrong = The current password is wrong.
password-change-title = Change password
password-change-submit = Change password

## Invitations
invite-title = Welcome to ferd
invite-intro = Hello { $name }. { $practice } has invited you to your own page, where you can fill in questionnaires, follow your progress and keep a journal.
invite-reset-intro = Hello { $name }. Choose a new password for your page at { $practice }. Your old password stops working.
invite-email = You will sign in with { $email }. Choose a password:
invite-submit = Create my login
invite-used = This invitation has already been used. Sign in with your e-mail address and password.
invite-expired = This invitation has expired. Ask your therapist for a new one.

## Account
account-title = Your account
field-role = Role
field-two-factor = Two-factor sign-in
role-admin = Administrator
role-therapist = Therapist
role-client = Client
role-practice-admin = administers the practice

## Dashboard
dashboard-title = Today
alerts-title = Alerts
alerts-none = No alerts waiting.
alerts-acknowledged = Acknowledged in the last 7 days
alert-action-required = Write what was done about this alert (for example: called the client, made a safety plan) before acknowledging it.
alert-action = What was done
alert-action-hint = Required for thoughts of death or self-harm. Stored encrypted.
alert-record-action = Record what was done
alert-acknowledge = Acknowledge
alert-acknowledged-by = acknowledged by { $name }
alert-suicidal-ideation = Thoughts of death or self-harm reported
alert-reliable-deterioration = Reliable deterioration
alert-missed-session = Missed session
sessions-today = Today's sessions
sessions-none-today = No sessions today.
sessions-week = The coming week
sessions-none-week = No more sessions this week.
sessions-unrecorded = Sessions without a recorded outcome
assessments-overdue = Overdue questionnaires
assessments-none-overdue = Nothing overdue.
assessments-due = Due this week
assessments-none-due = Nothing due this week.
due-since = due since { $date }
due-date = due { $date }

## Clients
clients-title = Clients
clients-search = Search by name or e-mail
clients-phase-filter = Phase
clients-filter-submit = Show
clients-count = { $count ->
    [one] { $count } client
   *[other] { $count } clients
}
field-name = Name
field-phase = Phase
field-therapist = Therapist
field-next-session = Next session
field-portal = Client's page
field-phone = Phone
field-birth-year = Birth year
field-emergency-contact = Emergency contact
language-nb = Norwegian (bokmål)
language-en = English
language-sv = Swedish
field-language = Language
field-research-id = Research id
client-new-title = New client
client-create = Create client
client-email-hint = Needed for the client to sign in to their own page.
client-title = Client
client-details = Details
portal-active = Active
portal-none = Not invited yet
invite-client = Invite to their own page
invitation-link-intro = Send this link to the client. It works once, for 7 days:
invitation-link-once = ferd keeps only a fingerprint of the link, so it cannot be shown again. Make a new invitation if it is lost.
invite-needs-email = The client needs an e-mail address before they can be invited.
invite-reset = Send a link to choose a new password

## Phases
phase-all = All phases
phase-none = No active journey
phase-inquiry = Inquiry
phase-intake = Intake
phase-screening = Safety screening
phase-preparation = Preparation
phase-medicine = Medicine session
phase-integration = Integration
phase-follow-up = Follow-up
phase-state-done = done
phase-state-current = current phase
phase-state-ahead = ahead
phase-move = Move to phase
phase-move-submit = Move
journey-title = Journey

## Sessions
sessions-title = Sessions
sessions-none = No sessions yet.
kind-intake = Intake
kind-preparation = Preparation
kind-medicine = Medicine session
kind-integration = Integration
kind-follow-up = Follow-up
status-planned = Planned
status-held = Held
status-cancelled = Cancelled
status-missed = Missed
field-status = Status
field-note = Note
note-encrypted = Notes are stored encrypted and shown only to the practice's therapists.
session-move-date = Move to date
session-move = Move
notice-session-moved = The session is moved.
session-save = Save
video-link = Video link
schedule-title = Schedule a session
schedule-submit = Schedule
field-kind = Kind
field-date = Date
field-time = Time
field-duration = Duration (minutes)
field-place = Place
field-video-link = Video link (https)

## Assessments and scores
assessments-title = Questionnaires
assessments-none = No questionnaires assigned.
assessment-overdue = Overdue
assessment-status-due = Due
assessment-status-completed = Completed
assessment-status-skipped = Skipped
assessment-status-cancelled = Cancelled
assign-title = Assign a questionnaire
assign-when = When
assign-now = Now, once
assign-schedule = On a schedule
assign-submit = Assign
field-instrument = Questionnaire
field-point = Occasion
point-placeholder = for example baseline, before session 2
field-first-date = First date (for a schedule)
field-every-days = Every … days
field-count = Number of times
field-due = Due
scores-title = Scores
scores-none = No questionnaires answered yet.
scores-table-caption = { $instrument } responses
field-total = Total
field-severity = Severity
field-cutoff = Cut-off
field-change = Change from the first response
field-flags = Flags
cutoff-above = At or above
cutoff-below = Below
change-baseline = First response
change-recovered = { $difference } points, RCI { $rci }: reliable improvement into the healthy range
change-improved = { $difference } points, RCI { $rci }: reliable improvement
change-unchanged = { $difference } points, RCI { $rci }: no reliable change
change-deteriorated = { $difference } points, RCI { $rci }: reliable deterioration
change-rule = A change counts as reliable when it is larger than { $instrument }'s measurement error allows (the Jacobson–Truax reliable change index, or the published threshold for the instrument).
chart-description = Total from { $from } to { $to }.
chart-responses = { $count ->
    [one] One response.
   *[other] { $count } responses.
}
chart-y-axis = { $instrument } total
chart-improvement = Reliable improvement
chart-deterioration = Reliable deterioration
chart-recovered = Recovered
chart-no-data = No responses yet
summary-higher-worse = On the { $instrument }, a higher score means more symptoms.
summary-higher-better = On the { $instrument }, a higher score means better well-being.
summary-first = The first score is { $total }; later answers will show how it changes.
summary-recovered = The score went from { $from } to { $to }: a reliable improvement, into the range most people without the condition score in.
summary-improved = The score went from { $from } to { $to }: a reliable improvement, larger than the measurement's usual variation.
summary-unchanged = The score went from { $from } to { $to }: within the measurement's usual variation, so it cannot be called a real change yet.
summary-deteriorated = The score went from { $from } to { $to }: a reliable worsening, larger than the measurement's usual variation.
summary-not-diagnosis = These numbers describe how you answered; they are not a diagnosis. Talk about them with your therapist.

## Inquiries
inquiries-title = Inquiries
inquiries-none = No inquiries.
inquiry-status-new = New
inquiry-status-answered = Answered
inquiry-status-closed = Closed
inquiry-to-client = Make a client
inquiry-mark-answered = Mark answered
inquiry-close = Close

## Administration
admin-title = Administration
users-title = Users
user-new-title = New user
user-create = Create user
user-active = Active
user-disabled = Disabled
field-actions = Actions
field-practice-admin = Also administers the practice
reset-password = New password
reset-password-for = New password for { $name }
reset-two-factor = Reset two-factor
reset-two-factor-for = Reset two-factor sign-in for { $name }
disable-user = Disable
disable-user-for = Disable { $name }
enable-user = Enable
enable-user-for = Enable { $name }
temporary-password-intro = Temporary password for { $email }:
temporary-password-once = It is shown only now. Give it to the person by a safe route; they should change it after signing in.
practice-settings-title = Practice settings
field-require-two-factor = Require two-factor sign-in for administrators and therapists
require-two-factor-hint = Strongly recommended. Turn it off only where the practice has other protection of its accounts.
settings-save = Save settings

## Client portal
portal-title = My page
portal-due = Questionnaires to fill in
portal-due-none = Nothing to fill in right now.
portal-upcoming = Upcoming sessions
portal-upcoming-none = No sessions planned.
portal-progress = My progress
portal-progress-none = Your progress will show here once you have answered a questionnaire.
portal-what-numbers-mean = What do the numbers mean?
portal-numbers-mean = Each questionnaire adds your answers up to a total. The line shows how the total has changed over time. The shaded areas and the dashed line are the ranges and limits the questionnaire's authors published.
portal-numbers-do-not-mean = A score is not a diagnosis, and a single number says little on its own: a bad week shows up as a bad week. What matters is the direction over time, and what you and your therapist make of it together.
questionnaire-title = Questionnaire
questionnaire-english-only = The questions are shown in English: an approved Norwegian translation is not included in ferd yet.
questionnaire-progress = { $answered } of { $total } questions answered
questionnaire-item-of = Question { $n } of { $total }:
questionnaire-item-missing = This question has no answer yet.
questionnaire-missing = { $count ->
    [one] One question has no answer yet. Your other answers are kept.
   *[other] { $count } questions have no answer yet. Your other answers are kept.
}
questionnaire-invalid = An answer could not be used. Choose one of the options.
questionnaire-not-asked = Because of your answer to the first question, leave the other questions empty.
questionnaire-submit = Send answers
questionnaire-done-title = Thank you
questionnaire-done-text = Your answers to { $title } are saved, and your therapist can see them.
questionnaire-see-progress = See your progress
# Crisis contacts, checked 2026-11-26 against NRK (nrk.no/osloogviken, 2021-11: Kirkens SOS 22 40 00 40 and Mental
# Helse 116 123, both open day and night; 113 when life is at stake; legevakt 116 117) and TV 2 (tv2.no/a/11115544).
# Re-check them before each release.
crisis-title = If you need help now
crisis-not-watched = Your answers are not watched around the clock. If you have thoughts of ending your life, or are afraid you will hurt yourself, get help now:
crisis-113 = Emergency: call 113
crisis-mental-helse = Mental Helse's helpline, open day and night: 116 123
crisis-kirkens-sos = Kirkens SOS, open day and night: 22 40 00 40
crisis-legevakt = Out-of-hours doctor (legevakt): 116 117
crisis-therapist = Tell your therapist as well, at your next contact or sooner.

## Journal
journal-title = Journal
journal-intro = Write down what you notice after your sessions. Entries are private unless you choose to share them with your therapist.
journal-new = New entry
journal-share = Share this entry with my therapist
journal-share-hint = Private entries are seen only by you.
journal-save = Save entry
journal-entries = Earlier entries
journal-none = No entries yet.
journal-shared = Shared
journal-private = Private
journal-empty = Write something before saving (at most 100,000 characters).
journal-shared-title = Journal entries shared by the client
journal-shared-none = The client has shared no journal entries.

## Confirmations
notice-alert-acknowledged = The alert is acknowledged in your name.
notice-already-answered = That questionnaire is already answered.
notice-assessment-assigned = The questionnaire is assigned.
notice-client-created = The client is created.
notice-inquiry-updated = The inquiry is updated.
notice-invitation-created = The invitation is ready.
notice-journal-saved = Your entry is saved.
notice-password-changed = Your password is changed, and your other sessions are signed out.
notice-password-reset = A new password is set, and the user's sessions are signed out.
notice-phase-changed = The journey is moved.
notice-session-scheduled = The session is scheduled.
notice-session-updated = The session is saved.
notice-settings-saved = The settings are saved.
notice-two-factor-on = Two-factor sign-in is on.
notice-two-factor-reset = The user's two-factor sign-in is reset; they set it up again at the next sign-in.
notice-user-created = The user is created.
notice-user-disabled = The user is disabled and signed out.
notice-user-enabled = The user is enabled.
notice-welcome = Welcome! This is your own page.

## Journey and screening
risk-title = Suicide-risk assessment
risk-intro = Record the result of the C-SSRS screener you asked from your own licensed copy (ferd does not include its questions). Ideation with intent (level 4 or 5) or recent suicidal behaviour raises an alert at once.
risk-level = Highest level of suicidal ideation
risk-level-0 = None
risk-level-1 = Wish to be dead
risk-level-2 = Non-specific active thoughts of suicide
risk-level-3 = Active thoughts with a method, without intent
risk-level-4 = Active thoughts with some intent, without a specific plan
risk-level-5 = Active thoughts with a specific plan and intent
risk-behaviour = Suicidal behaviour in the last three months
risk-behaviour-yes = suicidal behaviour in the last three months
risk-submit = Record the assessment
notice-risk-recorded = The risk assessment is recorded.
journey-protocol = Protocol
journey-state = Where the client is
journey-clearance = Clearance
journey-preparation-held = Preparation sessions held
journey-medicine-held = Medicine sessions held
journey-integration-held = Integration sessions held since the last medicine session
journey-deviations = Dates outside the protocol's windows:
journey-pause = Pause
journey-resume = Resume
journey-complete = Complete the journey
journey-refer = Refer elsewhere
journey-withdraw = Withdrawn
journey-start-title = Start a journey from a protocol
journey-start-date = First session (intake)
journey-weekdays-only = Keep sessions off weekends
journey-start-hint = Sessions and questionnaires are planned from the protocol. Medicine sessions are booked separately, once the screening is cleared and the preparation is done.
journey-start-submit = Plan the journey
journey-status-paused = paused
journey-status-completed = Completed
journey-status-withdrawn = withdrawn
journey-status-referred-elsewhere = referred elsewhere
journey-status-active = active
clearance-signed = Signed by a clinician
clearance-refused = Refused by a clinician
clearance-not-recorded = Not recorded yet
deviation-outside = { $item }: { $detail }
deviation-detail = { $days } days after its anchor; the protocol allows { $window } days
refusal-clearance-not-signed = No clinician has signed the screening clearance yet. Record the clearance first.
refusal-clearance-refused = A clinician refused clearance. The journey can only be referred elsewhere or withdrawn.
refusal-preparation-incomplete = { $held } of { $required } preparation sessions are held. Hold the remaining preparation first.
refusal-no-medicine-in-protocol = This protocol has no medicine sessions.
refusal-no-medicine-left = All { $held } medicine sessions of the protocol have been held.
refusal-integration-incomplete = { $held } of { $required } integration sessions are held since the last medicine session. Finish the integration block first.
refusal-medicine-not-held = The medicine session is not recorded as held yet.
refusal-not-allowed = The journey cannot go from { $from } to { $to }.
refusal-wrong-state = That is not possible while the journey is { $state }.
refusal-ended = The journey has ended ({ $state }). Start a new journey instead.
screening-title = Safety screening
screening-none = The client has not sent the screening form yet.
screening-submitted = Screening sent { $date }
screening-no-findings = The rules found nothing to note. A clinician still decides.
screening-findings = Findings
finding-severity = Severity
finding-matched = Matched
finding-explanation = Why it matters
finding-source = Source
finding-unverified = not verified
severity-exclusion = Exclusion
severity-clearance-required = Needs medical clearance
severity-caution = Caution
severity-info = Information
clearance-decision = Decision
clearance-decision-cleared = Cleared
clearance-decision-refused = Refused
clearance-by = by { $name }, { $date }
clearance-comment = Comment
clearance-hint = You record this as a clinician, in your name. ferd never clears anyone by itself. A refusal needs a reason.
clearance-submit = Record the decision
clearance-refusal-needs-reason = A refusal, or a clearance despite an exclusion or a finding that needs medical clearance, needs your reasons in the comment.
medicine-title = Book a medicine session
medicine-clinic = Clinic or trial
medicine-responsible = Clinician responsible
medicine-referral = Referral (where the referral went, contact person)
medicine-hint = The medicine session is held by a licensed clinic or a trial; this practice never handles the medicine.
medicine-submit = Book
medicine-external-required = Name the clinic and the clinician responsible for the medicine session.
notice-journey-started = The journey is planned from the protocol.
notice-journey-moved = The journey is moved.
notice-medicine-booked = The medicine session is booked.
notice-clearance-recorded = The decision is recorded in your name.
intake-intro-staff = Enter the client's paper health form as they filled it in. The screening rules run on it as on the portal's form, and you decide afterwards.
intake-enter-paper = Enter a paper health form
notice-intake-entered = The health form is entered; the findings are below.
intake-title = Health form for the safety screening
intake-intro = Your therapist uses these answers to check whether MDMA-assisted therapy could be unsafe for you. Answer as well as you can; your therapist will go through them with you.
intake-medicines = Medicines, herbal remedies and supplements
intake-medicines-hint = One per line, as written on the pack (for example "Zoloft 50 mg"). If you have stopped one in the last two months, or plan to stop it, give the last day.
intake-medicine-n = Medicine { $n }
intake-medicine-stopped = Last day taken (if stopped or stopping)
intake-conditions = Have you, now or earlier, had any of these?
intake-condition-psychotic-disorder = Psychosis or schizophrenia
intake-condition-bipolar-1 = Bipolar disorder type I (mania)
intake-condition-bipolar-2 = Bipolar disorder type II
intake-condition-family-history-psychosis-bipolar = Psychosis or bipolar disorder in a parent, brother or sister
intake-condition-dissociative-identity-disorder = Dissociative identity disorder
intake-condition-eating-disorder-purging = Eating disorder with vomiting or laxatives
intake-condition-personality-disorder = Personality disorder
intake-condition-substance-use-disorder = Alcohol or drug use disorder
intake-condition-heart-disease = Heart disease or stroke
intake-condition-arrhythmia = Irregular heartbeat (arrhythmia)
intake-condition-qt-prolongation = Long QT on an ECG
intake-condition-hypertension = High blood pressure
intake-condition-liver-disease-symptomatic = Liver disease with symptoms
intake-condition-hepatitis-c = Hepatitis C
intake-condition-hyponatremia-history = Low blood sodium (hyponatraemia)
intake-condition-hyperthermia-history = Dangerous overheating (heat stroke)
intake-condition-diabetes = Diabetes
intake-condition-hyperthyroidism = Overactive thyroid
intake-other-conditions = Other illnesses or diagnoses (one per line)
intake-substances = Alcohol and drugs you use
intake-substances-hint = One per line, for example "alcohol" or "cannabis". This is only seen by your therapist.
intake-pregnant = I am pregnant, or may be
intake-breastfeeding = I am breastfeeding
intake-age = Age
intake-blood-pressure = Your latest blood pressure, if you know it (for example 130/85)
intake-decision-hint = The form does not decide anything by itself: a clinician reviews the answers and decides with you.
intake-submit = Send the form
intake-bad-date = The last day for { $name } is not a date.
intake-bad-age = Write your age in whole years.
intake-bad-blood-pressure = Write the blood pressure as two numbers, for example 130/85.
portal-intake-link = Fill in the health form for the safety screening
notice-intake-sent = Your health form is sent. Your therapist will go through it with you.

## Calendar
calendar-title = Calendar
calendar-intro-therapist = Subscribe to your sessions in your calendar app. Each session shows its kind, its time and the client's first name with the initial of their last name. Notes and other clinical details are never included.
calendar-intro-client = Subscribe to your sessions in your calendar app. Each session shows only its kind and its time, nothing else.
calendar-privacy = Anyone who has the address can see these sessions, and your calendar service keeps a copy of them. Keep the address to yourself. If it goes astray, replace it or turn it off.
calendar-active = Your calendar address is active.
calendar-inactive = You have no calendar address.
calendar-create = Create a calendar address
calendar-replace = Replace the address
calendar-replace-hint = The old address stops working at once.
calendar-revoke = Turn off the calendar address
calendar-new-url = Your calendar address
calendar-new-url-hint = Copy it into your calendar app now (usually "Add calendar", then "From URL" or "Subscribe"). It is shown only this once: ferd keeps only a fingerprint of it.
calendar-name = ferd – sessions
calendar-event-with-client = { $kind }: { $client }
calendar-download = Add to calendar
calendar-download-which = (the session { $when }, .ics file)
notice-calendar-created = Your new calendar address is ready.
notice-calendar-revoked = The calendar address is turned off. It no longer shows your sessions.

## Session log

session-log-link = Session log
session-log-title = Medicine-session log
session-log-back = Back to the client
session-log-intro = Medicine session for { $client }, { $when }.
session-log-no-dose-advice = ferd records the doses that were given. It never suggests a dose.
session-log-placeholders = The thresholds that highlight readings are placeholders, taken from published studies and from protocol numbers that could not be confirmed. Your clinic's own procedure sets the numbers and decides what to do; ferd only points out readings above them.
session-log-errors = Nothing was recorded. Correct the following and send again:
session-log-readings = Readings
session-log-none = Nothing recorded yet.
session-log-col-time = Time
session-log-col-reading = Reading
session-log-col-value = Value
session-log-col-level = Threshold
session-log-col-by = Recorded by
session-log-kind-dose = Dose given
session-log-kind-blood-pressure = Blood pressure
session-log-kind-pulse = Pulse
session-log-kind-temperature = Temperature
session-log-kind-fluid = Fluid
session-log-kind-suds = SUDS
session-log-kind-note = Note
session-log-value-bpm = { $n } beats/min
session-log-level-alert = Above alert level
session-log-level-escalate = Above escalation level
session-log-first-dose = First dose
session-log-doses-given = Doses given
session-log-doses-total = { $total } in all
session-log-baseline-temperature = Temperature before the first dose
session-log-baseline-suds = SUDS before the first dose
session-log-latest-suds = Latest SUDS
session-log-not-recorded = not recorded
session-log-record = Record readings
session-log-record-hint = Fill in what was measured or given at this time and leave the rest empty. Blood pressure as systolic/diastolic, for example 128/82; decimals with a point or a comma.
session-log-date = Date
session-log-time = Time taken
session-log-dose = Dose given (mg)
session-log-dose-hint = What was given, as your clinic's procedure prescribes. ferd does not check or suggest doses.
session-log-blood-pressure = Blood pressure (mmHg)
session-log-pulse = Pulse (beats per minute)
session-log-temperature = Temperature (°C)
session-log-fluid = Fluid taken (ml)
session-log-suds = SUDS (0–10)
session-log-note = Note
session-log-submit = Record
session-log-problem-empty = { $field }: nothing was written.
session-log-problem-not-a-number = { $field }: write a number.
session-log-problem-not-whole = { $field }: write a whole number.
session-log-problem-decimals = { $field }: at most one decimal.
session-log-problem-blood-pressure = { $field }: write it as systolic/diastolic, for example 128/82.
session-log-problem-diastolic = { $field }: the second number (diastolic) must be lower than the first (systolic).
session-log-problem-range = { $field }: must be in the range { $range }.
session-log-problem-too-long = { $field }: at most { $max } characters.
session-log-problem-time = Time taken: give the date and the time.
session-log-problem-time-range = Time taken: must be within a day before the session and two days after it.
session-log-problem-nothing = Fill in at least one reading.
session-log-thresholds = Thresholds in use
session-log-thresholds-hint = Defaults shipped with ferd, each with its source. "Unverified" means the number could not be confirmed in a published protocol.
session-log-col-threshold = Threshold
session-log-col-source = Source
session-log-verified = verified
session-log-unverified = unverified placeholder
notice-readings-recorded = The readings are recorded.
field-clinic-mode = Clinic mode: this practice gives the medicine itself and keeps a log of each medicine session
clinic-mode-hint = Off by default. Turn it on only if the practice runs medicine sessions itself under a licensed clinician. The log records doses, blood pressure, pulse, temperature, fluid and SUDS; its thresholds are placeholders to be set by the clinic's own procedure.

## The public site
site-language = Language
site-nav-label = Pages
site-contact = Contact
site-crisis-line = In an emergency call 113. Out-of-hours doctor (legevakt): 116 117. Mental Helse's helpline, day and night: 116 123. Messages sent through this site are not read around the clock.
site-privacy = Privacy
site-to-workspace = Your start page
site-sign-in = Sign in (clients and staff)
site-sitemap = Site map
site-made-with = This site runs on ferd, open-source practice software. It loads nothing from other websites and uses no trackers.
site-fallback = This page has not been translated yet, so it is shown in { $language }.
site-reviewed = Last reviewed
site-references = References
site-write-to-us = Write to us
inquiry-errors-title = { $count ->
    [one] One thing needs fixing before the message can be sent:
   *[other] { $count } things need fixing before the message can be sent:
}
inquiry-honeypot = Leave this field empty
inquiry-name = Your name
inquiry-email = Your e-mail address
inquiry-email-hint = The answer comes by e-mail to this address.
inquiry-phone = Phone number (optional)
inquiry-language = Which language would you like an answer in?
inquiry-message = Your message
inquiry-message-hint = At most { $max } characters. There is no need to describe your health in detail yet.
inquiry-consent = I agree to being contacted about my message, and to my message being stored for that purpose.
inquiry-consent-privacy = How the message is stored, who can read it and for how long (privacy)
inquiry-not-emergency = This form is not for emergencies: it is not read around the clock.
inquiry-send = Send the message
inquiry-not-accepting = This site does not take messages yet.
inquiry-content-type = The message did not come from this page's form, so it was not received. Please write it in the form below.
inquiry-too-fast = The form was sent very quickly after the page opened, the way automated programs do. Nothing was lost: check your message and send it again.
inquiry-stale = This form was opened too long ago to be sent. Nothing was lost: check your message and send it again.
inquiry-too-many = Too many messages have been sent from your network address in the last hour, so this one was not received. Please try again later. What you wrote is kept below.
inquiry-error-name-empty = Your name: write the name you would like to be called.
inquiry-error-name-long = Your name: at most { $max } characters.
inquiry-error-email-empty = Your e-mail address: write the address the answer should go to.
inquiry-error-email-invalid = Your e-mail address: this does not look like an e-mail address (for example name@example.no).
inquiry-error-phone = Phone number: use digits, spaces and + - ( ) only, at most 40 characters.
inquiry-error-message-empty = Your message: write a few words about what you would like to ask.
inquiry-error-message-long = Your message: at most { $max } characters (it has { $count }).
inquiry-error-consent = Consent: tick the box to agree to being contacted and to the message being stored, or the message cannot be sent.
inquiry-sent-title = Thank you, your message has been received
inquiry-sent-received = Your message is stored safely and only the practice's staff can read it.
inquiry-sent-when = { $days ->
    [one] You can expect an answer by e-mail within one working day.
   *[other] You can expect an answer by e-mail within { $days } working days.
}
inquiry-sent-not-watched = Messages are not read around the clock. If you need help now, do not wait for the answer:
inquiry-sent-back = Back to the home page
inquiry-consent-given = Consented to contact and storage { $date } (privacy notice of { $version })
inquiry-consent-none = Written down by staff (no consent recorded through the site)
inquiry-delete = Delete
inquiry-delete-confirm = Delete this inquiry for good? (When the sender asks, or it is spam.)
notice-inquiry-deleted = The inquiry is deleted.
inquiry-retention = Inquiries are deleted automatically a year after they arrive.
field-reply-days = Working days within which the practice answers an inquiry (told to the sender)
error-reply-days = Working days for an answer: write a whole number from 1 to 30. Nothing was saved.

# Capacity and the waitlist (routes/waitlist.rs, the public site's full notice and waitlist form, the person's status
# page, the staff's waitlist page, the dashboard's card, capacity on the account and administration pages, and the
# status-link e-mail).
nav-waitlist = Waitlist
waitlist-full-title = We are not taking new clients at the moment
waitlist-full-text = The practice is full for now. You can still write to us: your message puts you on the waitlist, and we contact you in turn when there is room. If you need help sooner, other services may be able to help you.
waitlist-full-join = Join the waitlist
waitlist-full-referrals = Other places that can help (referral directory)
waitlist-full-urgent = If you need help now, call 113 in an emergency, the out-of-hours doctor (legevakt) on 116 117, or Mental Helse's helpline on 116 123, day and night.
waitlist-join-cta = Join the waitlist
waitlist-form-title = Join the waitlist
waitlist-form-intro = Write the same as you would in an ordinary message. You keep your place in the order you joined, and we write to you when it is your turn.
waitlist-form-cannot-wait = Cannot wait?
waitlist-therapist = Preferred therapist (optional)
waitlist-therapist-hint = If you would like to work with someone in particular. The practice takes it into account, but cannot promise it.
waitlist-therapist-any = No preference
waitlist-form-link-hint = After sending you get a link of your own, shown on the next page and sent by e-mail, where you can see your place on the list and leave it.
waitlist-join = Join the waitlist
waitlist-error-therapist = Preferred therapist: choose one of the therapists listed, or no preference.
waitlist-status-title = Your place on the waitlist
waitlist-joined = Thank you. You are on the waitlist of { $practice }.
waitlist-joined-keep = This page is your own: keep its address to see your place later or to leave the list. Anyone with the address can see your place, so do not share it.
waitlist-joined-mail = We have also sent the address to your e-mail. The e-mail holds nothing of what you wrote.
waitlist-place = You are number { $position } of { $count } on the waitlist.
waitlist-since = On the list since { $date }. You asked to be answered in { $language }.
waitlist-next-title = What happens next
waitlist-next-text = When it is your turn, the practice writes to you by e-mail to agree on a first conversation. Your place only moves forward.
waitlist-leave-title = Leave the waitlist
waitlist-leave-text = If you no longer want a place, you can leave the list. Your name, contact details and message are then deleted at once, and this link stops working. This cannot be undone.
waitlist-leave = Leave the waitlist and delete my details
waitlist-moved = It is your turn: { $practice } has taken you into intake and will contact you by e-mail.
waitlist-moved-since = Taken into intake on { $date }.
waitlist-removed = You are no longer on the waitlist.
waitlist-removed-contact = Questions? Write to the practice
waitlist-left-title = You have left the waitlist
waitlist-left-text = You are no longer on the waitlist. Your name, contact details and message have been deleted.
waitlist-left-again = You are welcome to write again later.
waitlist-title = Waitlist
waitlist-practice-full = The practice is full: messages through the public site go to the waitlist.
waitlist-practice-open = The practice takes new clients: messages through the public site go to the inbox.
waitlist-retention = People who wait are never deleted automatically; a year after their place ends, their inquiry is deleted.
waitlist-waiting-title = Waiting, in order
waitlist-none = Nobody is waiting.
waitlist-take-next = Take the next into intake
waitlist-take-next-hint = The person who has waited longest becomes a client with a journey at intake.
waitlist-joined-on = Joined { $date }
waitlist-days-waited = { $days ->
    [one] waited 1 day
   *[other] waited { $days } days
}
waitlist-prefers = prefers { $name }
waitlist-message = Message
waitlist-take = Take into intake
waitlist-take-out-of-order = Take into intake before those who have waited longer
waitlist-take-reason = Why this person now?
waitlist-reason-hint = Required. Stored encrypted and shown in the history.
waitlist-remove = Remove from the waitlist
waitlist-remove-reason = Why? (for example: found help elsewhere, referred on)
waitlist-ended-title = No longer waiting
waitlist-erased = Details deleted by the person
waitlist-ended-moved = Taken into intake
waitlist-ended-left = Left the list
waitlist-ended-removed = Removed
waitlist-history-joined = Joined the waitlist { $date }
waitlist-history-moved = Taken into intake { $date } by { $name }
waitlist-history-left = Left the list themself { $date }, and their details were deleted
waitlist-history-removed = Removed { $date } by { $name }
waitlist-history-position = as number { $position }
waitlist-history-reason = Reason:
waitlist-to-client = To the client's page
waitlist-error-nobody = Nobody is waiting, so nobody was taken into intake.
waitlist-error-reason-order = Write why this person is taken before those who have waited longer. Nothing was changed.
waitlist-error-reason-remove = Write why this person is removed from the waitlist. Nothing was changed.
waitlist-error-reason-long = The reason can be at most { $max } characters. Nothing was changed.
waitlist-error-gone = This person is no longer waiting: someone else has taken them into intake or removed them, or they left the list. Nothing was changed.
notice-waitlist-taken = The person is taken into intake and is now a client.
notice-waitlist-removed = The person is removed from the waitlist.
waitlist-in-inbox = { $count ->
    [one] 1 person is waiting on the waitlist
   *[other] { $count } people are waiting on the waitlist
}
waitlist-oldest = { $days ->
    [one] The longest-waiting person has waited 1 day.
   *[other] The longest-waiting person has waited { $days } days.
}
waitlist-long-wait = { $days ->
    [one] over 1 day
   *[other] over { $days } days
}
waitlist-open-list = Open the waitlist
capacity-title = New clients
capacity-own-open = You take new clients.
capacity-own-closed = You take no new clients at the moment.
capacity-own-hint = When no therapist takes new clients, or an administrator closes the practice, the public site offers the waitlist instead of the message form.
capacity-own-close = I take no new clients now
capacity-own-open-button = I take new clients again
notice-capacity-open = You take new clients again.
notice-capacity-closed = You take no new clients. People already on the waitlist stay on it.
capacity-practice-close = Close the practice to new clients
capacity-practice-open = Open the practice to new clients
capacity-practice-hint = While the practice is closed, the public site says so on the home, process and contact pages, and messages go to the waitlist. Nobody already waiting is removed when it opens again.
capacity-therapists = Therapists who take new clients
capacity-takes-new = Takes new clients
capacity-yes = Yes
capacity-no = No
capacity-close = Stop
capacity-open = Start
capacity-close-for = { $name } takes no new clients
capacity-open-for = { $name } takes new clients
notice-practice-open = The practice takes new clients again.
notice-practice-closed = The practice is closed to new clients. New messages go to the waitlist.
notice-capacity-saved = Saved.
mail-waitlist-subject = Your place on the waitlist of { $practice }
mail-waitlist-body = You are on the waitlist of { $practice }.
mail-waitlist-keep = Keep this e-mail: the link below is your own, and shows your place on the list. You can also leave the list there. For your privacy, this e-mail holds nothing of what you wrote.
mail-waitlist-action = See your place or leave the list:
mail-waitlist-button = See your place
mail-footer-waitlist = You get this e-mail because you joined the waitlist of { $practice } on its website.
job-kind-waitlist-status = Waitlist link

## The outcome report
nav-report = Outcomes
report-title = Outcomes
report-scope-practice = Every client of the practice with at least one questionnaire answered: each client's first response is the baseline, the latest is compared with it.
report-scope-own = Your clients with at least one questionnaire answered: each client's first response is the baseline, the latest is compared with it.
report-caveat = The trials measured PTSD with the clinician-rated CAPS-5 and selected their participants (severity, no psychosis or bipolar disorder, medicines tapered, and more); your clients fill in the self-reported PCL-5. The numbers put the practice beside the trials; they are not a like-for-like comparison.
report-download-csv = Download as CSV
report-download-json = Download as JSON
report-none = No client has answered a questionnaire yet.
report-no-responses = No responses yet.
report-compare-title = Change beside the trials
report-compare-hint = Mean change from the first to the latest response, with its 95 % confidence interval: the practice on the PCL-5, the trial arms on the CAPS-5 (both 0–80; below zero is improvement).
report-forest-title = Mean change in points, the practice and the trial arms
report-forest-desc = The practice's mean PCL-5 change and each trial arm's mean CAPS-5 change, with 95 % confidence intervals.
report-forest-axis = Change in points (0–80 scale); below zero is improvement
report-forest-practice = This practice, PCL-5 (n = { $n })
report-arm-mdma = MDMA with therapy
report-arm-placebo = Placebo with therapy
report-ci = { $estimate } ({ $interval })
report-mean-sd = { $mean } (SD { $sd })
report-clients = Clients with a response
report-baseline = First response, mean (SD)
report-latest = Latest response, mean (SD)
report-pairs = Clients with two or more responses
report-mean-change = Mean change
report-change = Change
report-too-few = Too few clients with two responses to estimate (at least 3 are needed).
report-d-z = Effect size d_z (95 % CI)
report-d-av = Effect size d_av (95 % CI)
report-reliable-improvement = Reliable improvement
report-reliable-deterioration = Reliable deterioration
report-recovered = Recovered (reliable improvement into the healthy range)
report-no-longer-pattern = No longer meeting the provisional diagnosis pattern
report-of = { $count } of { $of }
report-distribution = How the change is spread
report-hist-title = { $instrument }: each client's change
report-hist-desc = How many clients changed by how much on the { $instrument }, first to latest response, { $count } clients.
report-hist-x = Change in { $instrument } points (latest − first); below zero is improvement
report-hist-y = Clients
report-dropout-title = Dropout
report-dropout = { $count } of { $of } clients who began treatment left before finishing.
report-dropout-none = No client has begun treatment yet.
report-dropout-hint = Counted among journeys that reached preparation or were completed; clients referred elsewhere after screening are not counted.
report-trials-title = The published trials
report-col-study = Study
report-col-arm = Arm
report-col-change = CAPS-5 change (95 % CI or SD)
report-col-no-longer = No longer met the diagnosis
report-col-remission = Remission
report-col-dropout = Dropout
report-trials-hint = Only valid results are shown; retracted analyses are never used as benchmarks.
report-evidence-link = How MDMA-assisted therapy compares with prolonged exposure

## The evidence page: MDMA-assisted therapy against prolonged exposure
evidence-pe-title = MDMA-assisted therapy beside prolonged exposure
evidence-pe-description = The 2016 comparison of MDMA-assisted psychotherapy with prolonged exposure therapy as a forest plot, and how much it can and cannot tell.
evidence-pe-intro = In 2016 a short meta-analysis pooled the two small randomised trials of MDMA-assisted psychotherapy then published and set their effect beside that of prolonged exposure, an established trauma-focused therapy, taken from an earlier meta-analysis of 13 trials. The plot shows both effects against their control groups.
evidence-pe-forest-title = The 2016 comparison, effect against control
evidence-pe-forest-desc = Hedges' g with approximate 95 % confidence intervals for MDMA-assisted psychotherapy (32 people) and prolonged exposure (675 people), clinician-rated and self-reported.
evidence-pe-axis = Hedges' g against control (95 % CI); above zero favours the treatment
evidence-pe-clinician = Clinician-rated
evidence-pe-self-report = Self-reported
evidence-pe-mdma = MDMA-assisted psychotherapy (2 trials, n = { $n })
evidence-pe-pe = Prolonged exposure (13 trials, n = { $n })
evidence-pe-caption = The effect sizes are those the authors report. The papers' own intervals were not available, so ferd computed approximate ones from the number of people (20 given MDMA against 12 controls; for prolonged exposure an equal split of 675 is assumed).
evidence-pe-strength-title = How strong this evidence is, and is not
evidence-pe-weak-n = It rests on very few people: 32 in the two MDMA trials against 675 in the prolonged-exposure trials. The interval for MDMA is therefore wide, from a modest to a very large effect.
evidence-pe-weak-controls = The two MDMA trials used different control conditions (an inactive placebo in one, a low active dose in the other), and the prolonged-exposure trials compared against waiting lists or other psychological treatment.
evidence-pe-weak-indirect = The treatments were never compared with each other in one trial; the comparison is indirect, across different people, places and years.
evidence-pe-weak-small-difference = The difference between the two effects (1.17 against 1.08 on clinician ratings) is small compared with the uncertainty, so the analysis does not show that either treatment is better.
evidence-pe-strong = What it does suggest is that, in these small trials, MDMA-assisted psychotherapy was followed by improvement of a similar size to an established therapy. Larger trials have been done since (below), and their between-group effects are smaller, partly because the control group received the same therapy.
evidence-phase3-forest-title = The phase 3 trials: MDMA with therapy against placebo with therapy
evidence-phase3-forest-desc = Cohen's d with 95 % confidence intervals for MAPP1 and MAPP2, clinician-rated CAPS-5.
evidence-phase3-axis = Cohen's d, MDMA against placebo (95 % CI); above zero favours MDMA
evidence-phase3-caption = MAPP1's d is computed from the arms' published change and SD; MAPP2's is the published d with an approximate interval from the number of completers.
evidence-pe-conclusion = As of November 2026, MDMA-assisted therapy is not an approved treatment, and the trauma-focused therapies remain the first choice.
evidence-pe-back = Back to what the research shows

## API tokens
tokens-title = API tokens
tokens-intro = A token lets another system (an electronic health record, a trial's data capture, a statistician's script) use ferd's FHIR and JSON APIs for this practice. It reaches every client of the practice, so give it only to a system you trust, read-only when reading is enough. Every use is written to the audit trail under the token's name.
tokens-created = The token "{ $name }" is created. Copy it now:
tokens-once = It is shown only this once; ferd keeps only a fingerprint of it. If it is lost, revoke it and create a new one.
tokens-list = Tokens
tokens-none = No tokens yet.
tokens-col-start = Starts with
tokens-col-scope = What it may do
tokens-col-created = Created
tokens-col-used = Last used
tokens-never = never
tokens-scope-read = Read only
tokens-scope-write = Read and write
tokens-revoked-at = Revoked { $when }
tokens-revoke = Revoke
tokens-revoke-named = Revoke the token { $name }
tokens-new = New token
tokens-name = What will use it
tokens-name-hint = For example "DIPS integration" or "Trial data export"; 1–100 characters.
tokens-create = Create the token
tokens-error-name = What will use it: write a name of 1–100 characters. No token was created.
notice-token-revoked = The token is revoked; it no longer works.
admin-tokens-link = API tokens for other systems
# Reminder e-mail (mail.rs, templates/mail/), the admin's mail page (admin_mail.html) and a client's choice
mail-greeting = Hello,
mail-questionnaire-subject = { $n ->
    [one] A questionnaire is waiting for you
   *[other] { $n } questionnaires are waiting for you
}
mail-questionnaire-body = { $n ->
    [one] You have a questionnaire to fill in.
   *[other] You have { $n } questionnaires to fill in.
}
mail-session-subject = Reminder: appointment on { $day }
mail-session-body = This is a reminder of your appointment on { $day } at { $time }.
mail-alert-subject = A new alert is waiting in ferd
mail-alert-body = A new alert about one of your clients is waiting for you in ferd.
mail-no-details = For your privacy, this e-mail holds no details.
mail-sign-in = Sign in to see more:
mail-sign-in-button = Sign in
mail-footer-client = You get this reminder from { $practice }. You can turn e-mail reminders off on your account page once signed in.
mail-footer-staff = You get this e-mail because { $practice } sends alert e-mails to therapists.
mail-automatic = This e-mail was sent automatically.
admin-mail-link = E-mail and reminders
admin-mail-title = E-mail and reminders
admin-mail-route-title = Where mail goes
admin-mail-route-smtp = Mail goes to the SMTP server { $server }, from { $from }.
admin-mail-route-outbox = No SMTP server is configured: mails are written as files to the outbox folder ({ $dir }) and listed below, and nobody receives them. Set smtp_url to send them (see the operations guide).
admin-mail-route-none = This ferd instance sends no mail: no SMTP server and no outbox folder are configured.
admin-mail-settings-title = Reminder timing
field-session-hours = Remind clients of a session this many hours before it (0: no session reminders)
field-reminder-questionnaire = Remind clients of a questionnaire on the day it is due
field-reminder-hour = The hour questionnaire reminders go at (the practice's time, 0–23)
field-overdue-days = Remind once more this many days later if it is still not filled in (0: never)
field-alert-mail = E-mail a client's therapist when a new alert is raised
admin-mail-settings-hint = A mail never names a questionnaire, a score, a note, a client or the kind of session: it says that something waits and asks the recipient to sign in. Clients can turn reminders off on their account page.
error-reminder-settings = Check the numbers: hours 0–168, the hour of the day 0–23, days 0–30. Nothing was saved.
admin-mail-interrupted-title = Interrupted mails
admin-mail-interrupted-text = These mails were being handed to the mail server when the sending stopped (ferd was stopped or the connection broke). Nobody knows whether they arrived, so ferd does not send them again by itself. If in doubt, ask the recipient; "Send again" sends another copy.
admin-mail-resend = Send again
admin-mail-resend-for = Send the mail to { $who } again
notice-mail-resent = The mail is queued to be sent again.
admin-mail-jobs-title = Recent mails
admin-mail-none = No mails yet.
admin-mail-outbox-title = The outbox
admin-mail-outbox-none = The outbox is empty.
admin-mail-open = Open
admin-mail-open-for = Open the mail to { $who }
field-created = Created
field-recipient = To
field-attempts = Attempts
field-file = File
admin-mail-attempts = { $n } of { $max }
admin-mail-sent-at = sent { $when }
admin-mail-next-at = next try { $when }
admin-mail-resent-at = sent again by an admin { $when }
job-kind-questionnaire-reminder = Questionnaire reminder
job-kind-session-reminder = Session reminder
job-kind-alert-notice = Alert to therapist
job-status-queued = Queued
job-status-running = Being sent
job-status-sent = Sent
job-status-skipped = Not needed
job-status-failed = Failed
job-status-interrupted = Interrupted
account-reminders-title = E-mail reminders
account-reminders-on = You get a short e-mail when a questionnaire is due and before a session. The e-mails hold no details and ask you to sign in.
account-reminders-off = E-mail reminders are turned off. Your therapist and the portal still show what is due.
account-reminders-turn-off = Turn e-mail reminders off
account-reminders-turn-on = Turn e-mail reminders on
notice-reminders-off = E-mail reminders are turned off.
notice-reminders-on = E-mail reminders are turned on.
