"""The accessibility statement the portal ships with, in the order of DIGG's model statement
("tillgänglighetsredogörelse"): who stands behind the service, how accessible it is, what to do
when something cannot be used, how to report a barrier, the enforcement body, the known
shortcomings and how it was assessed. The dates follow the text on the page (the template).

It is Swedish, as the statement a Swedish public body publishes is, and it is data once an admin
saves it; the organisation comes from the organisations table (the county library), never from
this file. What it claims is what tests/browser checks: keep the two in step.
"""

from datetime import date
from string import Template

# The day this text was written against the browser tests of that day.
DEFAULT_ASSESSED_ON = date(2026, 12, 7)
DIGG_REPORT_FORM = "https://www.digg.se/tdosanmalan"
ANY_COUNTY_LIBRARY = "Länsbiblioteket"

DEFAULT_BODY = Template(
    """\
$organisation står bakom Länsbibliotekets portal, intranätet där länsbiblioteket och \
kommunbiblioteken arbetar tillsammans. Vi vill att så många som möjligt ska kunna använda \
portalen. Här beskriver vi hur portalen uppfyller lagen (2018:1937) om tillgänglighet till \
digital offentlig service, vilka brister vi känner till och hur du kan rapportera brister till \
oss så att vi kan åtgärda dem.

# Hur tillgänglig är portalen?

Portalen är **delvis förenlig** med lagen om tillgänglighet till digital offentlig service. Den \
är byggd för att följa WCAG 2.1 på nivå AA och testas automatiskt, men allt är inte testat, och \
en del av innehållet skriver eller laddar användarna upp själva. De brister vi känner till står \
längre ned på sidan.

Det här testas automatiskt varje gång portalen ändras:

- Varje sida som går att nå med länkar från startsidan, som kommunbibliotekarie, som personal på \
länsbiblioteket och som administratör, öppnas i webbläsaren Chromium i en mobiltelefons bredd \
(390 pixlar) och granskas med verktyget axe-core mot WCAG 2.1 A och AA. Ingen sida får behöva \
rullas i sidled.
- Hela vägar genom portalen görs med enbart tangentbord, och axe-core granskar varje sida på \
vägen: att ta emot en inbjudan och logga in, projekt, nyheter, kalendern, dokument, sökning, \
statistik och rapporter till finansiärer. Allt som nås med tabbtangenten ska visa en tydlig \
fokusmarkering.
- Den här sidan och formuläret för att rapportera en brist granskas på samma sätt, utan \
inloggning.

# Vad kan du göra om du inte kan använda delar av portalen?

Om du behöver innehåll från portalen i ett annat format, till exempel ett dokument som inte \
fungerar för dig, kan du be om det med formuläret *Rapportera en brist*. Länken finns längst ned \
på varje sida. Skriv vilken sida eller vilket dokument det gäller och hur du vill ha innehållet, \
och lämna gärna en e-postadress så att vi kan svara dig.$contact

# Rapportera brister i portalens tillgänglighet

Vi arbetar hela tiden med att göra portalen mer tillgänglig. Om du upptäcker problem som inte \
beskrivs på den här sidan, eller om du anser att vi inte uppfyller lagens krav, meddela oss med \
formuläret *Rapportera en brist*. Du behöver inte vara inloggad. Det du skriver går till \
$organisation.

# Tillsyn

Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn enligt lagen om \
tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina \
synpunkter kan du kontakta Digg och påtala det. Diggs formulär för anmälan finns på \
[$digg]($digg).

# Teknisk information om portalens tillgänglighet

Portalen är delvis förenlig med lagen om tillgänglighet till digital offentlig service, på grund \
av de brister som beskrivs nedan.

## Innehåll som inte är tillgängligt

### Det som inte är testat

- Ingen har ännu testat portalen med skärmläsare, förstoringsprogram eller taligenkänning, och \
inga användare med funktionsnedsättning har testat den. Automatiska verktyg som axe-core hittar \
bara en del av de brister som kan finnas; resten kräver granskning av en människa.
- Bara det svenska gränssnittet granskas automatiskt, inte det engelska.
- Förstoring till 200 och 400 procent och ändrade textavstånd är inte särskilt testade; sidorna \
testas i en mobiltelefons bredd.
- Rapporterna till finansiärer skapas som taggade PDF-filer (PDF/UA-1) med rubriker och \
tabeller, men de har inte granskats med något verktyg för PDF-tillgänglighet.
- E-postmeddelandena och filerna som laddas ned (CSV, Excel och kalenderfiler) är inte granskade.

### Innehåll som användarna står för

- Dokument som användarna laddar upp (PDF, Word och andra filer) granskas inte av portalen och \
kan sakna till exempel rubriker, textalternativ och läsordning.
- Texterna i nyheter, projekt och rapporter skrivs av användarna. Portalen ger deras rubriker \
rätt nivå, men kan inte se till att till exempel länktexter går att förstå.

# Hur vi testat portalen

Vi har gjort en självskattning (intern testning) av portalen med de automatiska testerna som \
beskrivs ovan. De körs varje gång portalen ändras.
"""
)


def default_body(organisation: str | None, contact_email: str | None) -> str:
    """The shipped statement for the county library named `organisation` (its name from the
    database; a portal without one says "Länsbiblioteket")."""
    contact = (
        f"\n\nDu kan också skriva direkt till {organisation or ANY_COUNTY_LIBRARY} på "
        f"[{contact_email}](mailto:{contact_email})."
        if contact_email
        else ""
    )
    return DEFAULT_BODY.substitute(
        organisation=organisation or ANY_COUNTY_LIBRARY, contact=contact, digg=DIGG_REPORT_FORM
    )
