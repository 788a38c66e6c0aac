# ferds grensesnitt på norsk bokmål. Alle meldinger her må også finnes i en.ftl (en test sjekker det).

skip-to-content = Gå til innholdet
demo-banner = Demopraksis: alle personer og alle tall her er oppdiktet. Ikke skriv inn ekte opplysninger.
nav-label = Hovedmeny
nav-dashboard = I dag
nav-clients = Klienter
nav-inquiries = Henvendelser
nav-admin = Administrasjon
nav-portal = Min side
nav-journal = Dagbok
nav-account = Konto
sign-out = Logg ut
footer-text = ferd lagrer helseopplysninger kryptert og logger all tilgang. Svarene blir ikke fulgt med på hele døgnet.
yes = Ja
no = Nei
minutes = { $n ->
    [one] { $n } minutt
   *[other] { $n } minutter
}

## Feil
error-title-not-found = Fant ikke siden
error-title-forbidden = Ikke tillatt
error-title-too-many = For mange forsøk
error-title-bad-request = Noe var galt med forespørselen
error-title-internal = Noe gikk galt
error-not-found = Det finnes ingenting her, eller du har ikke tilgang til det.
error-forbidden = Rollen din gir ikke tilgang til denne siden.
error-csrf = Skjemaet var utdatert. Gå tilbake, last inn siden på nytt og prøv igjen.
error-too-many = For mange forsøk. Vent noen minutter og prøv igjen.
error-bad-request = Noe av det som ble sendt, kunne ikke brukes. Gå tilbake og se over skjemaet.
error-internal = ferd klarte ikke å fullføre dette. Ingenting ble lagret. Prøv igjen, og si fra til administratoren i praksisen hvis det fortsetter å skje.
error-status = Status
error-back = Gå til startsiden
error-name-required = Skriv et navn (1–200 tegn).
error-birth-year = Skriv fødselsåret med fire sifre, mellom 1900 og 2100.
error-email = Skriv en gyldig e-postadresse.
error-language = Velg et språk.
error-email-taken = Denne e-postadressen er allerede i bruk.
error-disable-self = Du kan ikke deaktivere din egen konto.
form-has-errors = Rett opp følgende:

## Innlogging
login-title = Logg inn
login-submit = Logg inn
login-help = Glemt passordet? Be administratoren i praksisen om å sette et nytt. Klienter: be terapeuten din om en ny invitasjon.
login-failed = E-postadressen eller passordet er feil.
login-locked = For mange mislykkede forsøk. Innloggingen er sperret i 15 minutter.
field-email = E-postadresse
field-password = Passord
field-code = Sekssifret kode
two-factor-title = Tofaktorinnlogging
two-factor-intro = Åpne autentiseringsappen din og skriv inn den sekssifrede koden den viser for ferd.
two-factor-submit = Bekreft
two-factor-cancel = Avbryt og logg ut
two-factor-wrong = Koden er feil eller allerede brukt. Vent på neste kode og prøv igjen.
two-factor-on = På
two-factor-off = Ikke satt opp
two-factor-required = påkrevd av praksisen din
enrol-title = Sett opp tofaktorinnlogging
enrol-intro = Praksisen din krever et ekstra steg når du logger inn: en kode fra en autentiseringsapp på telefonen din.
enrol-step-app = Installer en autentiseringsapp (for eksempel FreeOTP, Aegis, Google Authenticator eller Microsoft Authenticator).
enrol-step-scan = Skann denne koden med appen.
enrol-qr-alt = QR-kode for å sette opp autentiseringsappen
enrol-manual = Eller skriv inn denne nøkkelen i appen:
enrol-uri = Oppsettsadresse
enrol-step-code = Skriv inn den sekssifrede koden appen viser nå.
enrol-submit = Slå på tofaktorinnlogging
sign-out-everywhere-title = Logg ut overalt
sign-out-everywhere-text = Avslutter alle økter på kontoen din, i alle nettlesere og på alle enheter, også denne.
sign-out-everywhere = Logg ut overalt

## Passord
field-new-password = Nytt passord
field-confirm-password = Gjenta passordet
field-current-password = Nåværende passord
password-rule = Minst 12 tegn. Noen ord som ikke har noe med hverandre å gjøre, gir et godt passord.
password-too-short = Passordet må ha minst 12 tegn.
password-too-long = Passordet er for langt (høyst 1000 tegn).
password-is-email = Passordet kan ikke være e-postadressen din.
password-mismatch = De to passordene er ikke like.
password-current-wrong = Det nåværende passordet er feil.
password-change-title = Bytt passord
password-change-submit = Bytt passord

## Invitasjoner
invite-title = Velkommen til ferd
invite-intro = Hei, { $name }. { $practice } har invitert deg til din egen side, der du kan fylle ut spørreskjemaer, følge med på utviklingen din og skrive dagbok.
invite-reset-intro = Hei { $name }. Velg et nytt passord til siden din hos { $practice }. Det gamle passordet slutter å virke.
invite-email = Du logger inn med { $email }. Velg et passord:
invite-submit = Opprett innlogging
invite-used = Denne invitasjonen er allerede brukt. Logg inn med e-postadressen og passordet ditt.
invite-expired = Denne invitasjonen har utløpt. Be terapeuten din om en ny.

## Konto
account-title = Kontoen din
field-role = Rolle
field-two-factor = Tofaktorinnlogging
role-admin = Administrator
role-therapist = Terapeut
role-client = Klient
role-practice-admin = administrerer praksisen

## Oversikt
dashboard-title = I dag
alerts-title = Varsler
alerts-none = Ingen varsler venter.
alerts-acknowledged = Kvittert ut de siste 7 dagene
alert-action-required = Skriv hva som ble gjort med dette varselet (for eksempel: ringte klienten, laget en sikkerhetsplan) før du kvitterer det ut.
alert-action = Hva som ble gjort
alert-action-hint = Påkrevd ved tanker om død eller selvskading. Lagres kryptert.
alert-record-action = Registrer hva som ble gjort
alert-acknowledge = Kvitter ut
alert-acknowledged-by = kvittert ut av { $name }
alert-suicidal-ideation = Tanker om død eller selvskading er meldt
alert-reliable-deterioration = Pålitelig forverring
alert-missed-session = Uteblitt fra time
sessions-today = Dagens timer
sessions-none-today = Ingen timer i dag.
sessions-week = Den kommende uken
sessions-none-week = Ingen flere timer denne uken.
sessions-unrecorded = Timer uten registrert utfall
assessments-overdue = Spørreskjemaer over fristen
assessments-none-overdue = Ingenting er over fristen.
assessments-due = Skal besvares denne uken
assessments-none-due = Ingenting skal besvares denne uken.
due-since = fristen var { $date }
due-date = frist { $date }

## Klienter
clients-title = Klienter
clients-search = Søk på navn eller e-post
clients-phase-filter = Fase
clients-filter-submit = Vis
clients-count = { $count ->
    [one] { $count } klient
   *[other] { $count } klienter
}
field-name = Navn
field-phase = Fase
field-therapist = Terapeut
field-next-session = Neste time
field-portal = Min side
field-phone = Telefon
field-birth-year = Fødselsår
field-emergency-contact = Nødkontakt
language-nb = Norsk (bokmål)
language-en = Engelsk
language-sv = Svensk
field-language = Språk
field-research-id = Forsknings-ID
client-new-title = Ny klient
client-create = Opprett klient
client-email-hint = Trengs for at klienten skal kunne logge inn på Min side.
client-title = Klient
client-details = Opplysninger
portal-active = Aktiv
portal-none = Ikke invitert ennå
invite-client = Inviter til Min side
invitation-link-intro = Send denne lenken til klienten. Den kan brukes én gang og gjelder i 7 dager:
invitation-link-once = ferd lagrer bare et fingeravtrykk av lenken, så den kan ikke vises igjen. Lag en ny invitasjon hvis den blir borte.
invite-needs-email = Klienten må ha en e-postadresse før du kan sende en invitasjon.
invite-reset = Send lenke for å velge nytt passord

## Faser
phase-all = Alle faser
phase-none = Uten aktivt forløp
phase-inquiry = Henvendelse
phase-intake = Inntak
phase-screening = Sikkerhetsvurdering
phase-preparation = Forberedelse
phase-medicine = Medisinsesjon
phase-integration = Integrering
phase-follow-up = Oppfølging
phase-state-done = fullført
phase-state-current = nåværende fase
phase-state-ahead = gjenstår
phase-move = Flytt til fase
phase-move-submit = Flytt
journey-title = Forløp

## Timer
sessions-title = Timer
sessions-none = Ingen timer ennå.
kind-intake = Inntak
kind-preparation = Forberedelse
kind-medicine = Medisinsesjon
kind-integration = Integrering
kind-follow-up = Oppfølging
status-planned = Planlagt
status-held = Gjennomført
status-cancelled = Avlyst
status-missed = Uteblitt
field-status = Status
field-note = Notat
note-encrypted = Notater lagres kryptert og vises bare for terapeutene i praksisen.
session-move-date = Flytt til dato
session-move = Flytt
notice-session-moved = Timen er flyttet.
session-save = Lagre
video-link = Videolenke
schedule-title = Sett opp en time
schedule-submit = Sett opp
field-kind = Type
field-date = Dato
field-time = Klokkeslett
field-duration = Varighet (minutter)
field-place = Sted
field-video-link = Videolenke (https)

## Spørreskjemaer og skårer
assessments-title = Spørreskjemaer
assessments-none = Ingen spørreskjemaer er tildelt.
assessment-overdue = Over fristen
assessment-status-due = Venter på svar
assessment-status-completed = Besvart
assessment-status-skipped = Hoppet over
assessment-status-cancelled = Trukket tilbake
assign-title = Tildel et spørreskjema
assign-when = Når
assign-now = Nå, én gang
assign-schedule = Etter en fast plan
assign-submit = Tildel
field-instrument = Spørreskjema
field-point = Måletidspunkt
point-placeholder = for eksempel utgangsmåling, før time 2
field-first-date = Første dato (for en plan)
field-every-days = Hver … dag
field-count = Antall ganger
field-due = Frist
scores-title = Skårer
scores-none = Ingen spørreskjemaer er besvart ennå.
scores-table-caption = Svar på { $instrument }
field-total = Totalskåre
field-severity = Alvorlighetsgrad
field-cutoff = Grenseverdi
field-change = Endring fra første svar
field-flags = Merknader
cutoff-above = På eller over
cutoff-below = Under
change-baseline = Første svar
change-recovered = { $difference } poeng, RCI { $rci }: pålitelig bedring, inn i normalområdet
change-improved = { $difference } poeng, RCI { $rci }: pålitelig bedring
change-unchanged = { $difference } poeng, RCI { $rci }: ingen pålitelig endring
change-deteriorated = { $difference } poeng, RCI { $rci }: pålitelig forverring
change-rule = En endring regnes som pålitelig når den er større enn målefeilen for { $instrument } kan forklare (Jacobson og Truax' indeks for pålitelig endring, eller den publiserte grensen for skjemaet).
chart-description = Totalskåre fra { $from } til { $to }.
chart-responses = { $count ->
    [one] Ett svar.
   *[other] { $count } svar.
}
chart-y-axis = Totalskåre på { $instrument }
chart-improvement = Pålitelig bedring
chart-deterioration = Pålitelig forverring
chart-recovered = I normalområdet
chart-no-data = Ingen svar ennå
summary-higher-worse = På { $instrument } betyr høyere skåre flere symptomer.
summary-higher-better = På { $instrument } betyr høyere skåre bedre trivsel.
summary-first = Den første skåren er { $total }. Senere svar vil vise hvordan den endrer seg.
summary-recovered = Skåren gikk fra { $from } til { $to }: en pålitelig bedring, inn i området der de fleste uten slike plager ligger.
summary-improved = Skåren gikk fra { $from } til { $to }: en pålitelig bedring, større enn den vanlige variasjonen i målingen.
summary-unchanged = Skåren gikk fra { $from } til { $to }: innenfor den vanlige variasjonen i målingen, så det kan ikke kalles en reell endring ennå.
summary-deteriorated = Skåren gikk fra { $from } til { $to }: en pålitelig forverring, større enn den vanlige variasjonen i målingen.
summary-not-diagnosis = Tallene beskriver hvordan du har svart. De er ikke en diagnose. Snakk om dem med terapeuten din.

## Henvendelser
inquiries-title = Henvendelser
inquiries-none = Ingen henvendelser.
inquiry-status-new = Ny
inquiry-status-answered = Besvart
inquiry-status-closed = Avsluttet
inquiry-to-client = Opprett som klient
inquiry-mark-answered = Merk som besvart
inquiry-close = Avslutt

## Administrasjon
admin-title = Administrasjon
users-title = Brukere
user-new-title = Ny bruker
user-create = Opprett bruker
user-active = Aktiv
user-disabled = Deaktivert
field-actions = Handlinger
field-practice-admin = Administrerer også praksisen
reset-password = Nytt passord
reset-password-for = Nytt passord for { $name }
reset-two-factor = Tilbakestill tofaktor
reset-two-factor-for = Tilbakestill tofaktorinnlogging for { $name }
disable-user = Deaktiver
disable-user-for = Deaktiver { $name }
enable-user = Aktiver
enable-user-for = Aktiver { $name }
temporary-password-intro = Midlertidig passord for { $email }:
temporary-password-once = Det vises bare nå. Gi det til personen på en trygg måte. Personen bør bytte det etter å ha logget inn.
practice-settings-title = Innstillinger for praksisen
field-require-two-factor = Krev tofaktorinnlogging for administratorer og terapeuter
require-two-factor-hint = Sterkt anbefalt. Slå det bare av hvis praksisen beskytter kontoene sine på annen måte.
settings-save = Lagre innstillingene

## Min side (klientens side)
portal-title = Min side
portal-due = Spørreskjemaer du skal fylle ut
portal-due-none = Du har ingenting å fylle ut nå.
portal-upcoming = Kommende timer
portal-upcoming-none = Ingen planlagte timer.
portal-progress = Min utvikling
portal-progress-none = Utviklingen din vises her når du har svart på et spørreskjema.
portal-what-numbers-mean = Hva betyr tallene?
portal-numbers-mean = Hvert spørreskjema legger sammen svarene dine til en totalskåre. Linjen viser hvordan totalskåren har endret seg over tid. De skraverte feltene og den stiplede linjen viser områdene og grensene som forfatterne av spørreskjemaet har publisert.
portal-numbers-do-not-mean = En skåre er ikke en diagnose, og ett enkelt tall sier lite alene: en dårlig uke viser seg som en dårlig uke. Det som betyr noe, er retningen over tid, og hva du og terapeuten din tenker om den sammen.
questionnaire-title = Spørreskjema
questionnaire-english-only = Spørsmålene vises på engelsk fordi en godkjent norsk oversettelse ikke er med i ferd ennå.
questionnaire-progress = { $answered } av { $total } spørsmål besvart
questionnaire-item-of = Spørsmål { $n } av { $total }:
questionnaire-item-missing = Dette spørsmålet er ikke besvart ennå.
questionnaire-missing = { $count ->
    [one] Ett spørsmål er ikke besvart ennå. De andre svarene dine er tatt vare på.
   *[other] { $count } spørsmål er ikke besvart ennå. De andre svarene dine er tatt vare på.
}
questionnaire-invalid = Et av svarene kunne ikke brukes. Velg ett av alternativene.
questionnaire-not-asked = Ut fra svaret ditt på det første spørsmålet skal du la de andre spørsmålene stå tomme.
questionnaire-submit = Send svarene
questionnaire-done-title = Takk
questionnaire-done-text = Svarene dine på { $title } er lagret, og terapeuten din kan se dem.
questionnaire-see-progress = Se utviklingen din
# Crisis contacts, checked 2026-11-26 against NRK (nrk.no/osloogviken, 2021-11: Kirkens SOS 22 40 00 40 and Mental
# Helse 116 123, both open day and night; 113 when life is at stake; legevakt 116 117) and TV 2 (tv2.no/a/11115544).
# Re-check them before each release.
crisis-title = Hvis du trenger hjelp nå
crisis-not-watched = Svarene dine blir ikke fulgt med på hele døgnet. Hvis du har tanker om å ta livet ditt, eller er redd for at du skal skade deg selv, må du søke hjelp nå:
crisis-113 = Nødnummer: ring 113
crisis-mental-helse = Mental Helses hjelpetelefon, døgnåpen: 116 123
crisis-kirkens-sos = Kirkens SOS, døgnåpen: 22 40 00 40
crisis-legevakt = Legevakt: 116 117
crisis-therapist = Si også fra til terapeuten din, neste gang dere har kontakt eller før.

## Dagbok
journal-title = Dagbok
journal-intro = Skriv ned det du legger merke til etter timene dine. Notatene er private, med mindre du velger å dele dem med terapeuten din.
journal-new = Nytt notat
journal-share = Del dette notatet med terapeuten min
journal-share-hint = Private notater er det bare du som ser.
journal-save = Lagre notatet
journal-entries = Tidligere notater
journal-none = Ingen notater ennå.
journal-shared = Delt
journal-private = Privat
journal-empty = Skriv noe før du lagrer (høyst 100 000 tegn).
journal-shared-title = Dagboknotater klienten har delt
journal-shared-none = Klienten har ikke delt noen dagboknotater.

## Bekreftelser
notice-alert-acknowledged = Varselet er kvittert ut i ditt navn.
notice-already-answered = Det spørreskjemaet er allerede besvart.
notice-assessment-assigned = Spørreskjemaet er tildelt.
notice-client-created = Klienten er opprettet.
notice-inquiry-updated = Henvendelsen er oppdatert.
notice-invitation-created = Invitasjonen er klar.
notice-journal-saved = Notatet ditt er lagret.
notice-password-changed = Passordet ditt er byttet, og de andre øktene dine er logget ut.
notice-password-reset = Et nytt passord er satt, og brukerens økter er logget ut.
notice-phase-changed = Forløpet er flyttet til en ny fase.
notice-session-scheduled = Timen er satt opp.
notice-session-updated = Timen er lagret.
notice-settings-saved = Innstillingene er lagret.
notice-two-factor-on = Tofaktorinnlogging er slått på.
notice-two-factor-reset = Brukerens tofaktorinnlogging er tilbakestilt. Den må settes opp på nytt ved neste innlogging.
notice-user-created = Brukeren er opprettet.
notice-user-disabled = Brukeren er deaktivert og logget ut.
notice-user-enabled = Brukeren er aktivert.
notice-welcome = Velkommen! Dette er din egen side.

## Journey and screening
journey-protocol = Protokoll
journey-state = Hvor klienten er
journey-clearance = Klarering
journey-preparation-held = Forberedende timer gjennomført
journey-medicine-held = Medisinsesjoner gjennomført
journey-integration-held = Integreringstimer siden siste medisinsesjon
journey-deviations = Datoer utenfor protokollens tidsvinduer:
journey-pause = Sett på pause
journey-resume = Fortsett
journey-complete = Avslutt forløpet
journey-refer = Henvis videre
journey-withdraw = Trukket seg
journey-start-title = Start et forløp etter en protokoll
journey-start-date = Første time (inntak)
journey-weekdays-only = Unngå helger
journey-start-hint = Timer og spørreskjemaer planlegges etter protokollen. Medisinsesjoner bookes for seg, når sikkerhetsvurderingen er klarert og forberedelsen er gjennomført.
journey-start-submit = Planlegg forløpet
journey-status-paused = på pause
journey-status-completed = Avsluttet
journey-status-withdrawn = trukket seg
journey-status-referred-elsewhere = henvist videre
journey-status-active = aktivt
clearance-signed = Signert av kliniker
clearance-refused = Avslått av kliniker
clearance-not-recorded = Ikke registrert ennå
deviation-outside = { $item }: { $detail }
deviation-detail = { $days } dager etter utgangspunktet; protokollen tillater { $window } dager
refusal-clearance-not-signed = Ingen kliniker har signert klareringen av sikkerhetsvurderingen ennå. Registrer klareringen først.
refusal-clearance-refused = En kliniker har avslått klarering. Forløpet kan bare henvises videre eller avsluttes ved at klienten trekker seg.
refusal-preparation-incomplete = { $held } av { $required } forberedende timer er gjennomført. Gjennomfør resten av forberedelsen først.
refusal-no-medicine-in-protocol = Denne protokollen har ingen medisinsesjoner.
refusal-no-medicine-left = Alle { $held } medisinsesjonene i protokollen er gjennomført.
refusal-integration-incomplete = { $held } av { $required } integreringstimer er gjennomført siden siste medisinsesjon. Fullfør integreringsblokken først.
refusal-medicine-not-held = Medisinsesjonen er ikke registrert som gjennomført ennå.
refusal-not-allowed = Forløpet kan ikke gå fra { $from } til { $to }.
refusal-wrong-state = Det går ikke mens forløpet er { $state }.
refusal-ended = Forløpet er avsluttet ({ $state }). Start et nytt forløp i stedet.
screening-title = Sikkerhetsvurdering
screening-none = Klienten har ikke sendt skjemaet for sikkerhetsvurdering ennå.
screening-submitted = Sikkerhetsvurdering sendt { $date }
screening-no-findings = Reglene fant ingenting å merke seg. En kliniker avgjør likevel.
screening-findings = Funn
finding-severity = Alvorlighet
finding-matched = Gjelder
finding-explanation = Hvorfor det betyr noe
finding-source = Kilde
finding-unverified = ikke verifisert
severity-exclusion = Utelukkende
severity-clearance-required = Krever medisinsk klarering
severity-caution = Forsiktighet
severity-info = Informasjon
clearance-decision = Beslutning
clearance-decision-cleared = Klarert
clearance-decision-refused = Avslått
clearance-by = av { $name }, { $date }
clearance-comment = Kommentar
clearance-hint = Du registrerer dette som kliniker, i ditt navn. ferd klarerer aldri noen på egen hånd. Et avslag må begrunnes.
clearance-submit = Registrer beslutningen
clearance-refusal-needs-reason = Et avslag må begrunnes i kommentaren.
medicine-title = Book en medisinsesjon
medicine-clinic = Klinikk eller studie
medicine-responsible = Ansvarlig kliniker
medicine-referral = Henvisning (hvor henvisningen gikk, kontaktperson)
medicine-hint = Medisinsesjonen holdes av en godkjent klinikk eller en studie; denne praksisen håndterer aldri medisinen.
medicine-submit = Book
medicine-external-required = Oppgi klinikken og den ansvarlige klinikeren for medisinsesjonen.
notice-journey-started = Forløpet er planlagt etter protokollen.
notice-journey-moved = Forløpet er flyttet.
notice-medicine-booked = Medisinsesjonen er booket.
notice-clearance-recorded = Beslutningen er registrert i ditt navn.
intake-title = Helseskjema for sikkerhetsvurderingen
intake-intro = Terapeuten din bruker svarene til å vurdere om MDMA-assistert terapi kan være utrygt for deg. Svar så godt du kan; terapeuten går gjennom svarene sammen med deg.
intake-medicines = Legemidler, naturmidler og kosttilskudd
intake-medicines-hint = Ett per linje, slik det står på pakningen (for eksempel «Zoloft 50 mg»). Har du sluttet med et de siste to månedene, eller skal slutte, oppgi siste dag.
intake-medicine-n = Legemiddel { $n }
intake-medicine-stopped = Siste dag tatt (hvis sluttet eller skal slutte)
intake-conditions = Har du nå eller tidligere hatt noe av dette?
intake-condition-psychotic-disorder = Psykose eller schizofreni
intake-condition-bipolar-1 = Bipolar lidelse type I (mani)
intake-condition-bipolar-2 = Bipolar lidelse type II
intake-condition-family-history-psychosis-bipolar = Psykose eller bipolar lidelse hos en forelder eller et søsken
intake-condition-dissociative-identity-disorder = Dissosiativ identitetslidelse
intake-condition-eating-disorder-purging = Spiseforstyrrelse med oppkast eller avføringsmidler
intake-condition-personality-disorder = Personlighetsforstyrrelse
intake-condition-substance-use-disorder = Alkohol- eller rusmiddelavhengighet
intake-condition-heart-disease = Hjertesykdom eller hjerneslag
intake-condition-arrhythmia = Uregelmessig hjerterytme (arytmi)
intake-condition-qt-prolongation = Lang QT-tid på EKG
intake-condition-hypertension = Høyt blodtrykk
intake-condition-liver-disease-symptomatic = Leversykdom med symptomer
intake-condition-hepatitis-c = Hepatitt C
intake-condition-hyponatremia-history = Lavt natrium i blodet (hyponatremi)
intake-condition-hyperthermia-history = Farlig overoppheting (heteslag)
intake-condition-diabetes = Diabetes
intake-condition-hyperthyroidism = For høyt stoffskifte
intake-other-conditions = Andre sykdommer eller diagnoser (én per linje)
intake-substances = Alkohol og rusmidler du bruker
intake-substances-hint = Ett per linje, for eksempel «alkohol» eller «cannabis». Bare terapeuten din ser dette.
intake-pregnant = Jeg er gravid, eller kan være det
intake-breastfeeding = Jeg ammer
intake-age = Alder
intake-blood-pressure = Siste blodtrykk, hvis du vet det (for eksempel 130/85)
intake-decision-hint = Skjemaet avgjør ingenting av seg selv: en kliniker går gjennom svarene og bestemmer sammen med deg.
intake-submit = Send skjemaet
intake-bad-date = Siste dag for { $name } er ikke en dato.
intake-bad-age = Skriv alderen i hele år.
intake-bad-blood-pressure = Skriv blodtrykket som to tall, for eksempel 130/85.
portal-intake-link = Fyll ut helseskjemaet for sikkerhetsvurderingen
notice-intake-sent = Helseskjemaet er sendt. Terapeuten din går gjennom det sammen med deg.

## Calendar
calendar-title = Kalender
calendar-intro-therapist = Abonner på timene dine i kalenderappen. Hver time viser hva slags time det er, når den er, og klientens fornavn med forbokstaven i etternavnet. Notater og andre kliniske opplysninger kommer aldri med.
calendar-intro-client = Abonner på timene dine i kalenderappen. Hver time viser bare hva slags time det er og når den er, ikke noe annet.
calendar-privacy = Alle som har adressen, kan se disse timene, og kalendertjenesten din lagrer en kopi av dem. Hold adressen for deg selv. Kommer den på avveie, kan du lage en ny eller slå den av.
calendar-active = Kalenderadressen din er i bruk.
calendar-inactive = Du har ingen kalenderadresse.
calendar-create = Lag en kalenderadresse
calendar-replace = Lag en ny adresse
calendar-replace-hint = Den gamle adressen slutter å virke med en gang.
calendar-revoke = Slå av kalenderadressen
calendar-new-url = Kalenderadressen din
calendar-new-url-hint = Kopier den inn i kalenderappen nå (vanligvis «Legg til kalender» og så «Fra URL» eller «Abonner»). Den vises bare denne ene gangen: ferd tar bare vare på et fingeravtrykk av den.
calendar-name = ferd – timer
calendar-event-with-client = { $kind }: { $client }
calendar-download = Legg til i kalenderen
calendar-download-which = (timen { $when }, .ics-fil)
notice-calendar-created = Den nye kalenderadressen din er klar.
notice-calendar-revoked = Kalenderadressen er slått av. Den viser ikke lenger timene dine.
