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
risk-title = Vurdering av selvmordsrisiko
risk-intro = Registrer resultatet av C-SSRS-screeneren du har stilt fra ditt eget lisensierte eksemplar (ferd inneholder ikke spørsmålene). Selvmordstanker med intensjon (nivå 4 eller 5) eller nylig selvmordsatferd gir varsel med en gang.
risk-level = Høyeste nivå av selvmordstanker
risk-level-0 = Ingen
risk-level-1 = Ønske om å være død
risk-level-2 = Uspesifikke aktive selvmordstanker
risk-level-3 = Aktive tanker med metode, uten intensjon
risk-level-4 = Aktive tanker med noe intensjon, uten konkret plan
risk-level-5 = Aktive tanker med konkret plan og intensjon
risk-behaviour = Selvmordsatferd de siste tre månedene
risk-behaviour-yes = selvmordsatferd de siste tre månedene
risk-submit = Registrer vurderingen
notice-risk-recorded = Risikovurderingen er registrert.
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
clearance-refusal-needs-reason = Et avslag, eller en klarering til tross for et utelukkende funn eller et funn som krever medisinsk klarering, må begrunnes i kommentaren.
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
intake-intro-staff = Før inn klientens helseskjema på papir slik klienten fylte det ut. Reglene for sikkerhetsvurdering kjøres som for skjemaet på Min side, og du avgjør etterpå.
intake-enter-paper = Før inn et helseskjema på papir
notice-intake-entered = Helseskjemaet er ført inn; funnene står nedenfor.
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

## Session log

session-log-link = Sesjonslogg
session-log-title = Logg for medisinsesjonen
session-log-back = Tilbake til klienten
session-log-intro = Medisinsesjon for { $client }, { $when }.
session-log-no-dose-advice = ferd registrerer dosene som ble gitt. Den foreslår aldri en dose.
session-log-placeholders = Grenseverdiene som markerer målinger, er plassholdere, hentet fra publiserte studier og fra protokolltall som ikke kunne bekreftes. Klinikkens egen prosedyre bestemmer tallene og hva som skal gjøres; ferd peker bare på målinger over dem.
session-log-errors = Ingenting ble registrert. Rett opp dette og send på nytt:
session-log-readings = Målinger
session-log-none = Ingenting er registrert ennå.
session-log-col-time = Tid
session-log-col-reading = Måling
session-log-col-value = Verdi
session-log-col-level = Grenseverdi
session-log-col-by = Registrert av
session-log-kind-dose = Gitt dose
session-log-kind-blood-pressure = Blodtrykk
session-log-kind-pulse = Puls
session-log-kind-temperature = Temperatur
session-log-kind-fluid = Væske
session-log-kind-suds = SUDS
session-log-kind-note = Notat
session-log-value-bpm = { $n } slag/min
session-log-level-alert = Over varslingsnivå
session-log-level-escalate = Over nivå for å tilkalle lege
session-log-first-dose = Første dose
session-log-doses-given = Gitte doser
session-log-doses-total = { $total } i alt
session-log-baseline-temperature = Temperatur før første dose
session-log-baseline-suds = SUDS før første dose
session-log-latest-suds = Siste SUDS
session-log-not-recorded = ikke registrert
session-log-record = Registrer målinger
session-log-record-hint = Fyll inn det som ble målt eller gitt på dette tidspunktet, og la resten stå tomt. Blodtrykk som systolisk/diastolisk, for eksempel 128/82; desimaler med komma eller punktum.
session-log-date = Dato
session-log-time = Klokkeslett
session-log-dose = Gitt dose (mg)
session-log-dose-hint = Det som ble gitt, etter klinikkens prosedyre. ferd verken kontrollerer eller foreslår doser.
session-log-blood-pressure = Blodtrykk (mmHg)
session-log-pulse = Puls (slag per minutt)
session-log-temperature = Temperatur (°C)
session-log-fluid = Væskeinntak (ml)
session-log-suds = SUDS (0–10)
session-log-note = Notat
session-log-submit = Registrer
session-log-problem-empty = { $field }: ingenting er skrevet.
session-log-problem-not-a-number = { $field }: skriv et tall.
session-log-problem-not-whole = { $field }: skriv et helt tall.
session-log-problem-decimals = { $field }: høyst én desimal.
session-log-problem-blood-pressure = { $field }: skriv det som systolisk/diastolisk, for eksempel 128/82.
session-log-problem-diastolic = { $field }: det andre tallet (diastolisk) må være lavere enn det første (systolisk).
session-log-problem-range = { $field }: må være i området { $range }.
session-log-problem-too-long = { $field }: høyst { $max } tegn.
session-log-problem-time = Klokkeslett: oppgi dato og klokkeslett.
session-log-problem-time-range = Klokkeslett: må være fra et døgn før sesjonen til to døgn etter den.
session-log-problem-nothing = Fyll inn minst én måling.
session-log-thresholds = Grenseverdier i bruk
session-log-thresholds-hint = Standardverdier som følger med ferd, hver med sin kilde. «Ikke verifisert» betyr at tallet ikke kunne bekreftes i en publisert protokoll.
session-log-col-threshold = Grenseverdi
session-log-col-source = Kilde
session-log-verified = verifisert
session-log-unverified = ikke verifisert, plassholder
notice-readings-recorded = Målingene er registrert.
field-clinic-mode = Klinikkmodus: praksisen gir medisinen selv og fører logg for hver medisinsesjon
clinic-mode-hint = Av som standard. Slå det bare på hvis praksisen selv gjennomfører medisinsesjoner under ansvar av en lege med autorisasjon. Loggen registrerer doser, blodtrykk, puls, temperatur, væske og SUDS; grenseverdiene er plassholdere som klinikkens egen prosedyre skal fastsette.

## Den offentlige nettsiden
site-language = Språk
site-nav-label = Sider
site-contact = Kontakt
site-crisis-line = Ved akutt fare, ring 113. Legevakt: 116 117. Mental Helses hjelpetelefon, døgnåpen: 116 123. Meldinger sendt gjennom denne siden blir ikke lest hele døgnet.
site-privacy = Personvern
site-to-workspace = Din startside
site-sign-in = Logg inn (klienter og ansatte)
site-sitemap = Nettstedskart
site-made-with = Denne siden kjører på ferd, praksisprogramvare med åpen kildekode. Den henter ingenting fra andre nettsteder og bruker ingen sporing.
site-fallback = Denne siden er ikke oversatt ennå, så den vises på { $language }.
site-reviewed = Sist gjennomgått
site-references = Kilder
site-write-to-us = Skriv til oss
inquiry-errors-title = { $count ->
    [one] Én ting må rettes før meldingen kan sendes:
   *[other] { $count } ting må rettes før meldingen kan sendes:
}
inquiry-honeypot = La dette feltet stå tomt
inquiry-name = Navnet ditt
inquiry-email = E-postadressen din
inquiry-email-hint = Svaret kommer på e-post til denne adressen.
inquiry-phone = Telefonnummer (valgfritt)
inquiry-language = Hvilket språk vil du ha svar på?
inquiry-message = Meldingen din
inquiry-message-hint = Høyst { $max } tegn. Du trenger ikke beskrive helsen din i detalj ennå.
inquiry-consent = Jeg samtykker i å bli kontaktet om meldingen min, og i at meldingen lagres for det formålet.
inquiry-consent-privacy = Hvordan meldingen lagres, hvem som kan lese den og hvor lenge (personvern)
inquiry-not-emergency = Dette skjemaet er ikke for akutte situasjoner: det blir ikke lest hele døgnet.
inquiry-send = Send meldingen
inquiry-not-accepting = Denne siden tar ikke imot meldinger ennå.
inquiry-content-type = Meldingen kom ikke fra skjemaet på denne siden, så den ble ikke mottatt. Skriv den gjerne i skjemaet nedenfor.
inquiry-too-fast = Skjemaet ble sendt svært kort tid etter at siden ble åpnet, slik automatiske programmer gjør. Ingenting gikk tapt: se over meldingen og send den igjen.
inquiry-stale = Dette skjemaet ble åpnet for for lenge siden til å kunne sendes. Ingenting gikk tapt: se over meldingen og send den igjen.
inquiry-too-many = Det er sendt for mange meldinger fra nettverksadressen din den siste timen, så denne ble ikke mottatt. Prøv igjen senere. Det du skrev, står fortsatt nedenfor.
inquiry-error-name-empty = Navnet ditt: skriv navnet du vil bli kalt.
inquiry-error-name-long = Navnet ditt: høyst { $max } tegn.
inquiry-error-email-empty = E-postadressen din: skriv adressen svaret skal sendes til.
inquiry-error-email-invalid = E-postadressen din: dette ser ikke ut som en e-postadresse (for eksempel navn@eksempel.no).
inquiry-error-phone = Telefonnummer: bruk bare sifre, mellomrom og + - ( ), høyst 40 tegn.
inquiry-error-message-empty = Meldingen din: skriv noen ord om hva du vil spørre om.
inquiry-error-message-long = Meldingen din: høyst { $max } tegn (den har { $count }).
inquiry-error-consent = Samtykke: kryss av i boksen for å samtykke i å bli kontaktet og i at meldingen lagres, ellers kan den ikke sendes.
inquiry-sent-title = Takk, meldingen din er mottatt
inquiry-sent-received = Meldingen din er lagret trygt, og bare praksisens ansatte kan lese den.
inquiry-sent-when = { $days ->
    [one] Du kan vente svar på e-post innen én virkedag.
   *[other] Du kan vente svar på e-post innen { $days } virkedager.
}
inquiry-sent-not-watched = Meldinger blir ikke lest hele døgnet. Trenger du hjelp nå, ikke vent på svaret:
inquiry-sent-back = Tilbake til forsiden
inquiry-consent-given = Samtykket til kontakt og lagring { $date } (personvernerklæringen av { $version })
inquiry-consent-none = Skrevet inn av ansatte (intet samtykke registrert gjennom nettsiden)
inquiry-delete = Slett
inquiry-delete-confirm = Slette denne henvendelsen for godt? (Når avsenderen ber om det, eller det er søppel.)
notice-inquiry-deleted = Henvendelsen er slettet.
inquiry-retention = Henvendelser slettes automatisk ett år etter at de kom inn.
field-reply-days = Virkedager praksisen bruker på å svare på en henvendelse (oppgis til avsenderen)
error-reply-days = Virkedager for svar: skriv et helt tall fra 1 til 30. Ingenting ble lagret.

# Kapasitet og venteliste (routes/waitlist.rs, meldingen om full praksis og ventelisteskjemaet på den offentlige
# siden, personens statusside, de ansattes venteliste, kortet på oversikten, kapasitet på konto- og
# administrasjonssiden, og e-posten med statuslenken).
nav-waitlist = Venteliste
waitlist-full-title = Vi tar ikke imot nye klienter for øyeblikket
waitlist-full-text = Praksisen er full nå. Du kan likevel skrive til oss: meldingen din setter deg på ventelisten, og vi tar kontakt etter tur når det blir plass. Trenger du hjelp før, kan andre tilbud kanskje hjelpe deg.
waitlist-full-join = Sett deg på ventelisten
waitlist-full-referrals = Andre steder som kan hjelpe (henvisningsoversikt)
waitlist-full-urgent = Trenger du hjelp nå, ring 113 ved akutt fare, legevakten på 116 117, eller Mental Helses hjelpetelefon på 116 123, døgnet rundt.
waitlist-join-cta = Sett deg på ventelisten
waitlist-form-title = Sett deg på ventelisten
waitlist-form-intro = Skriv det samme som i en vanlig melding. Du beholder plassen din i den rekkefølgen du meldte deg på, og vi skriver til deg når det er din tur.
waitlist-form-cannot-wait = Kan du ikke vente?
waitlist-therapist = Ønsket terapeut (valgfritt)
waitlist-therapist-hint = Hvis du gjerne vil jobbe med en bestemt person. Praksisen tar hensyn til det, men kan ikke love det.
waitlist-therapist-any = Ingen bestemt
waitlist-form-link-hint = Når du har sendt, får du en egen lenke, vist på neste side og sendt på e-post, der du kan se plassen din på listen og melde deg av.
waitlist-join = Sett meg på ventelisten
waitlist-error-therapist = Ønsket terapeut: velg en av terapeutene på listen, eller ingen bestemt.
waitlist-status-title = Din plass på ventelisten
waitlist-joined = Takk. Du står på ventelisten til { $practice }.
waitlist-joined-keep = Denne siden er din egen: ta vare på adressen for å se plassen din senere eller melde deg av listen. Alle som har adressen, kan se plassen din, så ikke del den.
waitlist-joined-mail = Vi har også sendt adressen til e-posten din. E-posten inneholder ingenting av det du skrev.
waitlist-place = Du er nummer { $position } av { $count } på ventelisten.
waitlist-since = På listen siden { $date }. Du ba om svar på { $language }.
waitlist-next-title = Hva skjer nå
waitlist-next-text = Når det er din tur, skriver praksisen til deg på e-post for å avtale en første samtale. Plassen din flytter seg bare fremover.
waitlist-leave-title = Meld deg av ventelisten
waitlist-leave-text = Vil du ikke lenger ha plass, kan du melde deg av listen. Navnet ditt, kontaktopplysningene og meldingen din slettes da med en gang, og denne lenken slutter å virke. Det kan ikke angres.
waitlist-leave = Meld meg av og slett opplysningene mine
waitlist-moved = Det er din tur: { $practice } har tatt deg inn til første samtale og tar kontakt på e-post.
waitlist-moved-since = Tatt inn { $date }.
waitlist-removed = Du står ikke lenger på ventelisten.
waitlist-removed-contact = Spørsmål? Skriv til praksisen
waitlist-left-title = Du har meldt deg av ventelisten
waitlist-left-text = Du står ikke lenger på ventelisten. Navnet ditt, kontaktopplysningene og meldingen din er slettet.
waitlist-left-again = Du er velkommen til å skrive igjen senere.
waitlist-title = Venteliste
waitlist-practice-full = Praksisen er full: meldinger fra den offentlige siden går til ventelisten.
waitlist-practice-open = Praksisen tar imot nye klienter: meldinger fra den offentlige siden går til innboksen.
waitlist-retention = De som venter, slettes aldri automatisk; ett år etter at plassen er avsluttet, slettes henvendelsen.
waitlist-waiting-title = Venter, i rekkefølge
waitlist-none = Ingen venter.
waitlist-take-next = Ta inn nestemann
waitlist-take-next-hint = Den som har ventet lengst, blir klient med et forløp i inntaksfasen.
waitlist-joined-on = Meldt på { $date }
waitlist-days-waited = { $days ->
    [one] ventet 1 dag
   *[other] ventet { $days } dager
}
waitlist-prefers = ønsker { $name }
waitlist-message = Melding
waitlist-take = Ta inn
waitlist-take-out-of-order = Ta inn før dem som har ventet lenger
waitlist-take-reason = Hvorfor denne personen nå?
waitlist-reason-hint = Må fylles ut. Lagres kryptert og vises i historikken.
waitlist-remove = Fjern fra ventelisten
waitlist-remove-reason = Hvorfor? (for eksempel: fikk hjelp et annet sted, henvist videre)
waitlist-ended-title = Venter ikke lenger
waitlist-erased = Opplysningene er slettet av personen selv
waitlist-ended-moved = Tatt inn
waitlist-ended-left = Meldte seg av
waitlist-ended-removed = Fjernet
waitlist-history-joined = Meldt på ventelisten { $date }
waitlist-history-moved = Tatt inn { $date } av { $name }
waitlist-history-left = Meldte seg av selv { $date }, og opplysningene ble slettet
waitlist-history-removed = Fjernet { $date } av { $name }
waitlist-history-position = som nummer { $position }
waitlist-history-reason = Begrunnelse:
waitlist-to-client = Til klientens side
waitlist-error-nobody = Ingen venter, så ingen ble tatt inn.
waitlist-error-reason-order = Skriv hvorfor denne personen tas inn før dem som har ventet lenger. Ingenting ble endret.
waitlist-error-reason-remove = Skriv hvorfor denne personen fjernes fra ventelisten. Ingenting ble endret.
waitlist-error-reason-long = Begrunnelsen kan være høyst { $max } tegn. Ingenting ble endret.
waitlist-error-gone = Denne personen venter ikke lenger: noen andre har tatt vedkommende inn eller fjernet vedkommende, eller personen har meldt seg av. Ingenting ble endret.
notice-waitlist-taken = Personen er tatt inn og er nå klient.
notice-waitlist-removed = Personen er fjernet fra ventelisten.
waitlist-in-inbox = { $count ->
    [one] 1 person venter på ventelisten
   *[other] { $count } personer venter på ventelisten
}
waitlist-oldest = { $days ->
    [one] Den som har ventet lengst, har ventet 1 dag.
   *[other] Den som har ventet lengst, har ventet { $days } dager.
}
waitlist-long-wait = { $days ->
    [one] over 1 dag
   *[other] over { $days } dager
}
waitlist-open-list = Åpne ventelisten
capacity-title = Nye klienter
capacity-own-open = Du tar imot nye klienter.
capacity-own-closed = Du tar ikke imot nye klienter for øyeblikket.
capacity-own-hint = Når ingen terapeut tar imot nye klienter, eller en administrator stenger praksisen, tilbyr den offentlige siden ventelisten i stedet for meldingsskjemaet.
capacity-own-close = Jeg tar ikke imot nye klienter nå
capacity-own-open-button = Jeg tar imot nye klienter igjen
notice-capacity-open = Du tar imot nye klienter igjen.
notice-capacity-closed = Du tar ikke imot nye klienter. De som allerede står på ventelisten, blir stående.
capacity-practice-close = Steng praksisen for nye klienter
capacity-practice-open = Åpne praksisen for nye klienter
capacity-practice-hint = Mens praksisen er stengt, står det på forsiden, prosessiden og kontaktsiden, og meldinger går til ventelisten. Ingen som allerede venter, fjernes når den åpner igjen.
capacity-therapists = Terapeuter som tar imot nye klienter
capacity-takes-new = Tar imot nye klienter
capacity-yes = Ja
capacity-no = Nei
capacity-close = Stopp
capacity-open = Start
capacity-close-for = { $name } tar ikke imot nye klienter
capacity-open-for = { $name } tar imot nye klienter
notice-practice-open = Praksisen tar imot nye klienter igjen.
notice-practice-closed = Praksisen er stengt for nye klienter. Nye meldinger går til ventelisten.
notice-capacity-saved = Lagret.
mail-waitlist-subject = Din plass på ventelisten til { $practice }
mail-waitlist-body = Du står på ventelisten til { $practice }.
mail-waitlist-keep = Ta vare på denne e-posten: lenken nedenfor er din egen og viser plassen din på listen. Der kan du også melde deg av. Av hensyn til personvernet står det ingenting av det du skrev i denne e-posten.
mail-waitlist-action = Se plassen din eller meld deg av:
mail-waitlist-button = Se plassen din
mail-footer-waitlist = Du får denne e-posten fordi du meldte deg på ventelisten til { $practice } på nettsiden.
job-kind-waitlist-status = Ventelistelenke

## Resultatrapporten
nav-report = Resultater
report-title = Resultater
report-scope-practice = Alle klientene i praksisen som har svart på minst ett skjema: hver klients første svar er utgangspunktet, og det siste sammenlignes med det.
report-scope-own = Dine klienter som har svart på minst ett skjema: hver klients første svar er utgangspunktet, og det siste sammenlignes med det.
report-caveat = Studiene målte PTSD med det klinikervurderte CAPS-5 og valgte ut deltakerne (alvorlighetsgrad, ingen psykose eller bipolar lidelse, medisiner trappet ned, med mer); klientene dine fyller ut det selvrapporterte PCL-5. Tallene setter praksisen ved siden av studiene; de er ikke en sammenligning av like med like.
report-download-csv = Last ned som CSV
report-download-json = Last ned som JSON
report-none = Ingen klient har svart på et skjema ennå.
report-no-responses = Ingen svar ennå.
report-compare-title = Endring ved siden av studiene
report-compare-hint = Gjennomsnittlig endring fra første til siste svar, med 95 % konfidensintervall: praksisen på PCL-5, studiearmene på CAPS-5 (begge 0–80; under null er bedring).
report-forest-title = Gjennomsnittlig endring i poeng, praksisen og studiearmene
report-forest-desc = Praksisens gjennomsnittlige endring på PCL-5 og hver studiearms gjennomsnittlige endring på CAPS-5, med 95 % konfidensintervall.
report-forest-axis = Endring i poeng (skala 0–80); under null er bedring
report-forest-practice = Denne praksisen, PCL-5 (n = { $n })
report-arm-mdma = MDMA med terapi
report-arm-placebo = Placebo med terapi
report-ci = { $estimate } ({ $interval })
report-mean-sd = { $mean } (SD { $sd })
report-clients = Klienter med svar
report-baseline = Første svar, gjennomsnitt (SD)
report-latest = Siste svar, gjennomsnitt (SD)
report-pairs = Klienter med to eller flere svar
report-mean-change = Gjennomsnittlig endring
report-change = Endring
report-too-few = For få klienter med to svar til å beregne (minst 3 trengs).
report-d-z = Effektstørrelse d_z (95 % KI)
report-d-av = Effektstørrelse d_av (95 % KI)
report-reliable-improvement = Pålitelig bedring
report-reliable-deterioration = Pålitelig forverring
report-recovered = Pålitelig bedring inn i normalområdet
report-no-longer-pattern = Oppfyller ikke lenger mønsteret for foreløpig diagnose
report-of = { $count } av { $of }
report-distribution = Hvordan endringen fordeler seg
report-hist-title = { $instrument }: hver klients endring
report-hist-desc = Hvor mange klienter som endret seg hvor mye på { $instrument }, fra første til siste svar, { $count } klienter.
report-hist-x = Endring i { $instrument }-poeng (siste − første); under null er bedring
report-hist-y = Klienter
report-dropout-title = Frafall
report-dropout = { $count } av { $of } klienter som begynte behandlingen, sluttet før de var ferdige.
report-dropout-none = Ingen klient har begynt behandlingen ennå.
report-dropout-hint = Telt blant forløp som nådde forberedelse eller ble fullført; klienter som ble henvist videre etter screening, telles ikke.
report-trials-title = De publiserte studiene
report-col-study = Studie
report-col-arm = Arm
report-col-change = Endring på CAPS-5 (95 % KI eller SD)
report-col-no-longer = Oppfylte ikke lenger diagnosen
report-col-remission = Remisjon
report-col-dropout = Frafall
report-trials-hint = Bare gyldige resultater vises; tilbaketrukne analyser brukes aldri som sammenligning.
report-evidence-link = Hvordan MDMA-assistert terapi står seg mot eksponeringsterapi

## Kunnskapssiden: MDMA-assistert terapi mot forlenget eksponering
evidence-pe-title = MDMA-assistert terapi ved siden av forlenget eksponering
evidence-pe-description = Sammenligningen fra 2016 av MDMA-assistert psykoterapi og forlenget eksponeringsterapi som forest plot, og hva den kan og ikke kan si.
evidence-pe-intro = I 2016 slo en kort metaanalyse sammen de to små randomiserte studiene av MDMA-assistert psykoterapi som var publisert, og satte effekten ved siden av effekten av forlenget eksponering, en etablert traumefokusert terapi, hentet fra en tidligere metaanalyse av 13 studier. Figuren viser begge effektene mot kontrollgruppene sine.
evidence-pe-forest-title = Sammenligningen fra 2016, effekt mot kontroll
evidence-pe-forest-desc = Hedges' g med omtrentlige 95 % konfidensintervall for MDMA-assistert psykoterapi (32 personer) og forlenget eksponering (675 personer), klinikervurdert og selvrapportert.
evidence-pe-axis = Hedges' g mot kontroll (95 % KI); over null er til fordel for behandlingen
evidence-pe-clinician = Klinikervurdert
evidence-pe-self-report = Selvrapportert
evidence-pe-mdma = MDMA-assistert psykoterapi (2 studier, n = { $n })
evidence-pe-pe = Forlenget eksponering (13 studier, n = { $n })
evidence-pe-caption = Effektstørrelsene er dem forfatterne oppgir. Artiklenes egne intervall var ikke tilgjengelige, så ferd har beregnet omtrentlige intervall ut fra antall personer (20 fikk MDMA mot 12 i kontrollgruppene; for forlenget eksponering er det antatt en lik fordeling av 675).
evidence-pe-strength-title = Hvor sterk denne kunnskapen er, og ikke er
evidence-pe-weak-n = Den bygger på svært få personer: 32 i de to MDMA-studiene mot 675 i studiene av forlenget eksponering. Intervallet for MDMA er derfor bredt, fra en beskjeden til en svært stor effekt.
evidence-pe-weak-controls = De to MDMA-studiene brukte ulike kontrollbetingelser (inaktiv placebo i den ene, en lav aktiv dose i den andre), og studiene av forlenget eksponering sammenlignet med venteliste eller annen psykologisk behandling.
evidence-pe-weak-indirect = Behandlingene ble aldri sammenlignet med hverandre i én studie; sammenligningen er indirekte, på tvers av ulike personer, steder og år.
evidence-pe-weak-small-difference = Forskjellen mellom de to effektene (1,17 mot 1,08 på klinikervurdering) er liten sammenlignet med usikkerheten, så analysen viser ikke at den ene behandlingen er bedre.
evidence-pe-strong = Det den tyder på, er at MDMA-assistert psykoterapi i disse små studiene ble fulgt av bedring av omtrent samme størrelse som ved en etablert terapi. Større studier er gjort siden (nedenfor), og effekten mellom gruppene der er mindre, blant annet fordi kontrollgruppen fikk den samme terapien.
evidence-phase3-forest-title = Fase 3-studiene: MDMA med terapi mot placebo med terapi
evidence-phase3-forest-desc = Cohens d med 95 % konfidensintervall for MAPP1 og MAPP2, klinikervurdert CAPS-5.
evidence-phase3-axis = Cohens d, MDMA mot placebo (95 % KI); over null er til fordel for MDMA
evidence-phase3-caption = MAPP1s d er beregnet fra armenes publiserte endring og SD; MAPP2s er den publiserte d med et omtrentlig intervall ut fra antallet som fullførte.
evidence-pe-conclusion = Per november 2026 er MDMA-assistert terapi ikke en godkjent behandling, og de traumefokuserte terapiene er fortsatt førstevalget.
evidence-pe-back = Tilbake til hva forskningen viser

## API-nøkler
tokens-title = API-nøkler
tokens-intro = En nøkkel lar et annet system (en elektronisk pasientjournal, en studies datainnsamling, et statistikkskript) bruke ferds FHIR- og JSON-API for denne praksisen. Den når alle praksisens klienter, så gi den bare til et system du stoler på, og bare med lesetilgang når lesing er nok. All bruk skrives i revisjonsloggen under nøkkelens navn.
tokens-created = Nøkkelen «{ $name }» er laget. Kopier den nå:
tokens-once = Den vises bare denne ene gangen; ferd tar bare vare på et fingeravtrykk av den. Blir den borte, trekk den tilbake og lag en ny.
tokens-list = Nøkler
tokens-none = Ingen nøkler ennå.
tokens-col-start = Begynner med
tokens-col-scope = Hva den kan gjøre
tokens-col-created = Laget
tokens-col-used = Sist brukt
tokens-never = aldri
tokens-scope-read = Bare lese
tokens-scope-write = Lese og skrive
tokens-revoked-at = Trukket tilbake { $when }
tokens-revoke = Trekk tilbake
tokens-revoke-named = Trekk tilbake nøkkelen { $name }
tokens-new = Ny nøkkel
tokens-name = Hva skal bruke den
tokens-name-hint = For eksempel «DIPS-integrasjon» eller «Studieeksport»; 1–100 tegn.
tokens-create = Lag nøkkelen
tokens-error-name = Hva skal bruke den: skriv et navn på 1–100 tegn. Ingen nøkkel ble laget.
notice-token-revoked = Nøkkelen er trukket tilbake; den virker ikke lenger.
admin-tokens-link = API-nøkler for andre systemer
# Påminnelser på e-post (mail.rs, templates/mail/), administratorens e-postside (admin_mail.html) og klientens valg
mail-greeting = Hei,
mail-questionnaire-subject = { $n ->
    [one] Et spørreskjema venter på deg
   *[other] { $n } spørreskjemaer venter på deg
}
mail-questionnaire-body = { $n ->
    [one] Du har et spørreskjema å fylle ut.
   *[other] Du har { $n } spørreskjemaer å fylle ut.
}
mail-session-subject = Påminnelse: time { $day }
mail-session-body = Dette er en påminnelse om timen din { $day } kl. { $time }.
mail-alert-subject = Et nytt varsel venter i ferd
mail-alert-body = Et nytt varsel om en av klientene dine venter på deg i ferd.
mail-no-details = Av hensyn til personvernet står det ingen detaljer i denne e-posten.
mail-sign-in = Logg inn for å se mer:
mail-sign-in-button = Logg inn
mail-footer-client = Du får denne påminnelsen fra { $practice }. Du kan slå av påminnelser på e-post på kontosiden din når du har logget inn.
mail-footer-staff = Du får denne e-posten fordi { $practice } sender varsler på e-post til terapeutene.
mail-automatic = Denne e-posten er sendt automatisk.
admin-mail-link = E-post og påminnelser
admin-mail-title = E-post og påminnelser
admin-mail-route-title = Hvor e-posten går
admin-mail-route-smtp = E-posten går til SMTP-serveren { $server }, fra { $from }.
admin-mail-route-outbox = Ingen SMTP-server er satt opp: e-postene skrives som filer til utboks-mappen ({ $dir }) og vises nedenfor, og ingen mottar dem. Sett smtp_url for å sende dem (se driftsveiledningen).
admin-mail-route-none = Denne ferd-instansen sender ingen e-post: verken SMTP-server eller utboks-mappe er satt opp.
admin-mail-settings-title = Når påminnelsene går
field-session-hours = Minn klienter på en time så mange timer før den (0: ingen påminnelser om timer)
field-reminder-questionnaire = Minn klienter på et spørreskjema den dagen det skal fylles ut
field-reminder-hour = Klokkeslettet påminnelser om spørreskjemaer går (praksisens tid, 0–23)
field-overdue-days = Minn på én gang til så mange dager senere hvis det fortsatt ikke er fylt ut (0: aldri)
field-alert-mail = Send e-post til klientens terapeut når et nytt varsel kommer
admin-mail-settings-hint = En e-post nevner aldri et spørreskjema, en skår, et notat, en klient eller hva slags time det er: den sier at noe venter og ber mottakeren logge inn. Klienter kan slå av påminnelser på kontosiden sin.
error-reminder-settings = Sjekk tallene: timer 0–168, klokkeslett 0–23, dager 0–30. Ingenting ble lagret.
admin-mail-interrupted-title = Avbrutte e-poster
admin-mail-interrupted-text = Disse e-postene var i ferd med å bli levert til e-postserveren da sendingen stoppet (ferd ble stoppet eller forbindelsen brøt). Ingen vet om de kom fram, så ferd sender dem ikke på nytt av seg selv. Spør mottakeren hvis du er i tvil; «Send på nytt» sender en kopi til.
admin-mail-resend = Send på nytt
admin-mail-resend-for = Send e-posten til { $who } på nytt
notice-mail-resent = E-posten står i kø for å sendes på nytt.
admin-mail-jobs-title = Siste e-poster
admin-mail-none = Ingen e-poster ennå.
admin-mail-outbox-title = Utboksen
admin-mail-outbox-none = Utboksen er tom.
admin-mail-open = Åpne
admin-mail-open-for = Åpne e-posten til { $who }
field-created = Laget
field-recipient = Til
field-attempts = Forsøk
field-file = Fil
admin-mail-attempts = { $n } av { $max }
admin-mail-sent-at = sendt { $when }
admin-mail-next-at = neste forsøk { $when }
admin-mail-resent-at = sendt på nytt av en administrator { $when }
job-kind-questionnaire-reminder = Påminnelse om spørreskjema
job-kind-session-reminder = Påminnelse om time
job-kind-alert-notice = Varsel til terapeut
job-status-queued = I kø
job-status-running = Sendes
job-status-sent = Sendt
job-status-skipped = Ikke nødvendig
job-status-failed = Mislyktes
job-status-interrupted = Avbrutt
account-reminders-title = Påminnelser på e-post
account-reminders-on = Du får en kort e-post når et spørreskjema skal fylles ut og før en time. E-postene har ingen detaljer og ber deg logge inn.
account-reminders-off = Påminnelser på e-post er slått av. Terapeuten din og portalen viser fortsatt hva som venter.
account-reminders-turn-off = Slå av påminnelser på e-post
account-reminders-turn-on = Slå på påminnelser på e-post
notice-reminders-off = Påminnelser på e-post er slått av.
notice-reminders-on = Påminnelser på e-post er slått på.
