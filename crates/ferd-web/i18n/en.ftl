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
clearance-refusal-needs-reason = A refusal needs a reason in the comment.
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
