"""Demo lägesbild: a year of rounds and events in Malå, Älvdalen and the five-kommun network.

Twelve monthly rounds (December 2025 – November 2026) in Malå and Älvdalen, and five quarterly rounds
(October 2025 – December 2026) in the network, with the shipped six-area template: the latest is open,
earlier ones are closed. Each collaboration's story over the year decides
the status of every area period by period; every aktör sees it through its own lens (the school sees the
young, the police see narcotics and networks), with a little noise, and the trend follows from the
change since the previous period. Police answers and events are begränsad; the others are mostly intern
and some öppen. No text names a person or holds personal data.

Rows are written with ``bulk_create`` (a few thousand rows, well under a second). Re-running leaves
the same state: a collaboration that already has its round schedule is left as it is. The closed
periods' joint pictures are agreed through the picture service when that service exists.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.core.models import Collaboration, Kommun, Level, Membership, Organisation, Role
from samverkan.core.models.confidentiality import DEFAULT_RESTRICTED_TO
from samverkan.situation.models import (
    Answer,
    Event,
    EventCategory,
    PictureVersion,
    Place,
    Question,
    Report,
    Round,
    RoundSchedule,
    Template,
    Trend,
)

FIRST_MONTH = dt.date(2025, 12, 1)
MONTHS = 12  # December 2025 – November 2026
DEADLINE_DAYS = 5
STATUSES = ("gron", "gul", "orange", "rod")
AREAS = ("ordning", "vald", "extremism", "unga", "ant", "tjansteman")
POLICE_ROLES = DEFAULT_RESTRICTED_TO  # "polis,samordnare"


PERIOD_MONTHS: dict[str, int] = {Round.Period.MONTH: 1, Round.Period.QUARTER: 3}


@dataclass(frozen=True)
class Story:
    """One collaboration's year: who reports, where things happen, and how each area develops.

    Periods are counted from ``first`` (index 0) in steps of ``period``; ``severity``, ``episodes`` and
    ``hotspots`` are indexed by period.
    """

    collaboration: str
    kommun: str  # where places and events are unless ``place_kommuner`` says otherwise
    meeting: str
    reporters: tuple[str, ...]
    # Organisation name fragment → the areas it sees clearly (others look one step calmer to it).
    lenses: tuple[tuple[str, tuple[str, ...]], ...]
    places: tuple[tuple[str, float, float], ...]
    # Area → status per period (0 grön … 3 röd), the first period first.
    severity: dict[str, tuple[int, ...]]
    # Area → {period index: texts}; the story told in the answers.
    episodes: dict[str, dict[int, tuple[str, ...]]]
    # (area, periods) → names of the places where that area's events happen then.
    hotspots: tuple[tuple[str, tuple[int, ...], tuple[str, ...]], ...]
    seed: int
    period: str = Round.Period.MONTH
    first: dt.date = FIRST_MONTH
    periods: int = MONTHS
    # Place name → kommunkod, for a collaboration of several kommuner.
    place_kommuner: tuple[tuple[str, str], ...] = ()

    @property
    def step(self) -> int:
        """Months per period."""
        return PERIOD_MONTHS[self.period]

    @property
    def kommuner(self) -> set[str]:
        return {self.kommun, *(code for _name, code in self.place_kommuner)}

    def kommun_of(self, place: str) -> str:
        return dict(self.place_kommuner).get(place, self.kommun)


MALA_STORY = Story(
    collaboration="Malå kommun och LPO Skellefteå",
    kommun="2418",
    meeting="REK-gruppen",
    reporters=(
        "Malå kommun – kommunledningen",
        "Malå kommun – socialtjänsten",
        "Malå kommun – skolan",
        "Malå kommun – fritidsgården",
        "Polisen, LPO Skellefteå",
        "Malå räddningstjänst",
        "Hälsocentralen i Malå, Region Västerbotten",
    ),
    lenses=(
        ("kommunledningen", ("ordning", "tjansteman")),
        ("socialtjänsten", ("vald", "ant", "unga")),
        ("skolan", ("unga", "ant")),
        ("fritidsgården", ("unga", "ant", "ordning")),
        ("Polisen", AREAS),
        ("räddningstjänst", ("ordning",)),
        ("Hälsocentralen", ("vald", "ant")),
    ),
    places=(
        ("Malå centrum", 65.1830, 18.7420),
        ("Busstationen i Malå", 65.1846, 18.7392),
        ("Skolan i Malå", 65.1812, 18.7461),
        ("Fritidsgården i Malå", 65.1823, 18.7446),
        ("Idrottsplatsen i Malå", 65.1858, 18.7478),
        ("Badplatsen vid älven", 65.1801, 18.7362),
        ("Parkeringen vid livsmedelsbutiken", 65.1836, 18.7431),
    ),
    severity={
        #            D  J  F  M  A  M  J  J  A  S  O  N
        "ordning": (0, 0, 0, 1, 1, 2, 3, 3, 2, 1, 1, 0),
        "vald": (1, 0, 0, 0, 1, 1, 2, 1, 1, 0, 1, 0),
        "extremism": (0, 0, 0, 1, 2, 2, 1, 1, 1, 0, 0, 0),
        "unga": (0, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1),
        "ant": (0, 0, 1, 2, 3, 3, 2, 2, 1, 1, 1, 1),
        "tjansteman": (0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0),
    },
    episodes={
        "ant": {
            2: (
                "Ett tips har kommit in om att en säljare från kusten har börjat ta sig till Malå med narkotika.",
                "Personalen hör unga prata om att det har blivit lättare att få tag på cannabis.",
            ),
            3: (
                "Fler signaler om cannabis bland unga vuxna, framför allt under helgerna.",
                "Tomma förpackningar som kan ha innehållit narkotika hittades bakom idrottshallen.",
                "Flera föräldrar har hört av sig med oro efter inlägg i sociala medier.",
            ),
            4: (
                "Misstänkt försäljning vid busstationen kvällstid. Köparna verkar komma med bil från grannkommunerna.",
                "Vi har fått in två orosanmälningar som gäller missbruk hos ungdomar.",
                "Flera kontroller kvällstid har gett beslag av mindre mängder cannabis.",
                "Fler besök på hälsocentralen där narkotika nämns som en del av problemet.",
            ),
            5: (
                "Inför skolavslutningen ser vi mer alkohol och en del narkotika bland eleverna i nian.",
                "Försäljningen verkar ha flyttat från busstationen till privata fester.",
                "Polisens insatser vid busstationen har märkts, men efterfrågan finns kvar.",
            ),
            6: (
                "Lugnare efter vårens insatser, men fortfarande signaler om cannabis på fester.",
                "Langning av alkohol till minderåriga under midsommarhelgen.",
            ),
            7: ("Langning av alkohol vid badplatsen under varma helger.",),
            9: ("Färre signaler om narkotika under hösten. Föräldramötet om droger var välbesökt.",),
        },
        "ordning": {
            0: ("Lugn vinter. Enstaka klotter på busskuren.",),
            1: ("Några snöskotrar har kört inne i samhället nattetid.",),
            5: (
                "Buskörningen med EPA-traktorer har börjat igen nu när vägarna är torra.",
                "Boende klagar på spinn och höga ljud på parkeringen vid livsmedelsbutiken.",
            ),
            6: (
                "Buskörning med EPA-traktorer och mopeder på centrumgatorna sena kvällar.",
                "EPA-bilar samlas vid badplatsen på helgnätterna; nedskräpning och höga ljud.",
                "En trafikkontroll visade flera trimmade fordon.",
                "Skadegörelse på en busskur efter midsommarhelgen.",
            ),
            7: (
                "Fortsatt buskörning under helgerna, något färre fordon än i juni.",
                "En gräsbrand vid badplatsen släcktes snabbt; troligen en engångsgrill.",
                "Boende i centrum känner sig otrygga av bilarna som kör i rundor hela natten.",
            ),
            8: ("Buskörningen minskade när skolan började.",),
            9: ("Några inbrott i förråd och garage i utkanten av samhället.",),
        },
        "vald": {
            0: ("Ett par bråk i samband med julhelgens fester, ingen allvarligt skadad.",),
            6: (
                "Bråk vid en privat fest under midsommarhelgen.",
                "Fler besök på hälsocentralen efter slagsmål under helgerna.",
            ),
            10: ("Några nya ärenden om våld i nära relation, i nivå med samma period i fjol.",),
        },
        "extremism": {
            3: ("Tipset om försäljningen pekar mot ett kriminellt nätverk vid kusten.",),
            4: (
                "Polisen följer om unga i Malå rekryteras som kurirer åt nätverket.",
                "Enstaka klotter med symboler som används av ett kriminellt nätverk.",
            ),
            5: ("Signaler om att unga erbjuds pengar för att förvara eller köra narkotika.",),
            8: ("Klistermärken med extrem propaganda vid anslagstavlan i centrum; de har tagits bort.",),
        },
        "unga": {
            1: ("Några konflikter mellan grupper på fritidsgården, lösta genom samtal.",),
            4: (
                "Oro bland eleverna efter rykten om droger i skolan. Kuratorn har träffat flera klasser.",
                "Fritidsgården har haft fler besökare som kommer påverkade.",
            ),
            5: (
                "Skolavslutningen krävde extra vuxna ute under kvällen.",
                "Vi ser unga som dras till de äldre i EPA-bilarna.",
            ),
            9: ("Skolan har infört rastvärdar och korridorerna är lugnare.",),
        },
        "tjansteman": {
            9: (
                "En handläggare har fått otrevliga meddelanden i sociala medier efter ett beslut om bistånd.",
            ),
            10: ("Meddelandena har upphört. Rutinerna för att ta emot besökare har setts över.",),
        },
    },
    hotspots=(
        ("ant", (3, 4, 5), ("Busstationen i Malå", "Idrottsplatsen i Malå")),
        (
            "ordning",
            (5, 6, 7, 8),
            ("Parkeringen vid livsmedelsbutiken", "Malå centrum", "Badplatsen vid älven"),
        ),
        ("unga", tuple(range(MONTHS)), ("Skolan i Malå", "Fritidsgården i Malå")),
    ),
    seed=2418,
)

ALVDALEN_STORY = Story(
    collaboration="Älvdalens kommun och LPO Mora",
    kommun="2039",
    meeting="Arbetsgrupp BRÅ",
    reporters=(
        "Älvdalens kommun – kommunledningen",
        "Älvdalens kommun – skola och fritid",
        "Älvdalens kommun – individ- och familjeomsorgen",
        "Polisen, LPO Mora",
        "Räddningstjänsten i Älvdalen",
        "Älvdalens bostadsbolag",
    ),
    lenses=(
        ("kommunledningen", ("tjansteman", "ordning")),
        ("skola och fritid", ("unga", "ant", "extremism")),
        ("individ- och familjeomsorgen", ("vald", "unga", "ant")),
        ("Polisen", AREAS),
        ("Räddningstjänsten", ("ordning",)),
        ("bostadsbolag", ("ordning", "vald")),
    ),
    places=(
        ("Älvdalens centrum", 61.2280, 14.0400),
        ("Skolan i Älvdalen", 61.2301, 14.0432),
        ("Busstationen i Älvdalen", 61.2268, 14.0371),
        ("Särna centrum", 61.6930, 13.1350),
        ("Campingen i Särna", 61.6958, 13.1318),
        ("Idre by", 61.8590, 12.7180),
        ("Idre fjäll", 61.8870, 12.8500),
    ),
    severity={
        #            D  J  F  M  A  M  J  J  A  S  O  N
        "ordning": (1, 1, 3, 2, 1, 0, 1, 3, 1, 1, 1, 1),
        "vald": (1, 0, 2, 2, 1, 0, 1, 2, 1, 1, 1, 0),
        "extremism": (0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 1),
        "unga": (1, 1, 1, 1, 1, 0, 0, 0, 1, 2, 3, 2),
        "ant": (1, 1, 2, 2, 1, 0, 1, 2, 1, 1, 1, 1),
        "tjansteman": (0, 0, 0, 0, 1, 2, 3, 2, 1, 0, 0, 0),
    },
    episodes={
        "ordning": {
            0: ("Enstaka skadegörelse i Älvdalens centrum under julhelgen.",),
            2: (
                "Under sportlovsveckorna många ordningsstörningar kring krogarna i Idre fjäll sena kvällar.",
                "Berusade besökare och bråk i köerna till uteställena i Idre.",
                "Stölder av skidutrustning och inbrott i uthyrningsstugor i Särna och Idre.",
                "Snöskotrar utanför lederna nära bebyggelsen i Särna.",
            ),
            3: (
                "Påsklovet gav fortsatt många besökare i fjällen och en del stök nattetid.",
                "Två inbrott i fritidshus i Idre by upptäcktes när ägarna kom upp till påsk.",
            ),
            6: ("Sommarsäsongen har börjat; fler besökare vid campingen i Särna.",),
            7: (
                "Trängsel, nedskräpning och höga ljud vid campingen i Särna under semesterveckorna.",
                "Buskörning med bilar och motorcyklar på vägarna kring Idre under sommarhelgerna.",
                "Inbrott i husvagnar och fritidshus i fjällen.",
                "En skogsbrand nära Särna släcktes; den kan ha orsakats av en lägereld.",
            ),
        },
        "vald": {
            2: (
                "Flera misshandelsfall i samband med utelivet i Idre fjäll.",
                "Säsongspersonal i Idre har blivit hotad av berusade gäster.",
            ),
            3: ("Färre våldsbrott än i februari men fortfarande över det vanliga för säsongen.",),
            7: ("Bråk på campingen i Särna; polisen kallades dit vid två tillfällen.",),
            9: ("Några ärenden om våld i nära relation, i nivå med tidigare höstar.",),
        },
        "extremism": {
            8: ("Nya klottertaggar i centrum som kan höra till en kriminell grupp.",),
            9: (
                "Klotter med gängsymboler vid skolan i Älvdalen; polisen bedömer kopplingen.",
                "Kommunen sanerade klottret inom ett dygn.",
            ),
            10: ("Inget nytt klotter sedan saneringen, men vi håller uppsikt.",),
        },
        "unga": {
            4: ("Lugn vår i skolan. Skolavslutningen förlöpte utan incidenter.",),
            8: ("Terminen har börjat med en del konflikter mellan elevgrupper på högstadiet.",),
            9: (
                "Oro på högstadiet: slagsmål på rasterna och hot i sociala medier mellan elevgrupper.",
                "Fler anmälningar om kränkningar än under våren.",
            ),
            10: (
                "Skolan har satt in extra vuxna i korridorerna och träffat vårdnadshavare.",
                "Elever säger att de känner sig otrygga vid busstationen efter skoltid.",
                "Två elever har stängts av tillfälligt efter upprepade slagsmål.",
            ),
            11: ("Lugnare efter höstens insatser, men läget följs noga.",),
        },
        "ant": {
            2: (
                "Mycket alkohol under sportlovet i fjällen, även bland unga besökare.",
                "Signaler om narkotika på fester bland säsongsarbetare i Idre.",
            ),
            7: ("Langning av alkohol vid campingen i Särna.",),
            10: ("Tobakstillsynen hos butikerna i centrum gav inga anmärkningar.",),
        },
        "tjansteman": {
            4: ("En tjänsteperson på bygglovsenheten har fått hotfulla samtal efter ett avslag på bygglov.",),
            5: (
                "Hoten mot bygglovsenheten fortsätter och har polisanmälts.",
                "Receptionen i kommunhuset har fått nya rutiner och larmknapp.",
            ),
            6: (
                "Hoten har ökat och riktas nu även mot en förtroendevald i nämnden.",
                "Polisen har gjort en hotbedömning och ger råd till de utsatta.",
            ),
            7: ("Inga nya hot under juli men personalen är fortsatt oroliga.",),
            8: ("Läget har lugnat sig efter att ärendet avgjorts i domstol.",),
        },
    },
    hotspots=(
        ("ordning", (1, 2, 3), ("Idre fjäll", "Idre by", "Särna centrum")),
        ("vald", (2, 3), ("Idre fjäll",)),
        ("ant", (2, 3), ("Idre fjäll",)),
        ("ordning", (6, 7), ("Campingen i Särna", "Idre by", "Särna centrum")),
        ("vald", (7,), ("Campingen i Särna",)),
        ("unga", tuple(range(MONTHS)), ("Skolan i Älvdalen", "Busstationen i Älvdalen")),
        ("extremism", tuple(range(MONTHS)), ("Skolan i Älvdalen", "Älvdalens centrum")),
        ("tjansteman", tuple(range(MONTHS)), ("Älvdalens centrum",)),
    ),
    seed=2039,
)

NETWORK = "Inlandsnätverket: Malå, Norsjö, Sorsele, Arvidsjaur och Arjeplog"
NETWORK_QUARTERS = 5  # the fourth quarter of 2025 to the fourth of 2026, which is still open

NETWORK_STORY = Story(
    collaboration=NETWORK,
    kommun="2418",
    meeting="Nätverksträffen för samordnare och kontaktpoliser",
    reporters=(
        "Malå kommun – kommunledningen",
        "Norsjö kommun – kommunledningen",
        "Sorsele kommun – kommunledningen",
        "Arvidsjaurs kommun – kommunledningen",
        "Arjeplogs kommun – kommunledningen",
        "Polisen, LPO Skellefteå",
        "Polisen, LPO Lycksele",
        "Polisen, LPO Piteå älvdal",
    ),
    lenses=(
        ("kommunledningen", ("ordning", "unga", "ant", "tjansteman")),
        ("Polisen", AREAS),
    ),
    places=(
        ("Malå centrum", 65.1830, 18.7420),
        ("Norsjö centrum", 64.9117, 19.4830),
        ("Skolan i Norsjö", 64.9105, 19.4870),
        ("Sorsele centrum", 65.5360, 17.5330),
        ("Busshållplatsen vid Inlandsvägen i Sorsele", 65.5340, 17.5280),
        ("Arvidsjaurs centrum", 65.5921, 19.1794),
        ("Skolan i Arvidsjaur", 65.5890, 19.1720),
        ("Arjeplogs centrum", 66.0521, 17.8878),
        ("Campingen i Arjeplog", 66.0480, 17.8990),
    ),
    place_kommuner=(
        ("Norsjö centrum", "2417"),
        ("Skolan i Norsjö", "2417"),
        ("Sorsele centrum", "2422"),
        ("Busshållplatsen vid Inlandsvägen i Sorsele", "2422"),
        ("Arvidsjaurs centrum", "2505"),
        ("Skolan i Arvidsjaur", "2505"),
        ("Arjeplogs centrum", "2506"),
        ("Campingen i Arjeplog", "2506"),
    ),
    severity={
        #            Q4 Q1 Q2 Q3 Q4
        "ordning": (1, 2, 1, 2, 1),
        "vald": (1, 1, 0, 1, 1),
        "extremism": (0, 0, 1, 1, 0),
        "unga": (1, 1, 2, 2, 1),
        "ant": (1, 2, 2, 3, 2),
        "tjansteman": (0, 0, 0, 1, 2),
    },
    episodes={
        "ordning": {
            0: ("Lugn höst. Några stölder av drivmedel ur arbetsfordon i Norsjö.",),
            1: (
                "Testsäsongen för bilindustrin har fyllt Arjeplog och Arvidsjaur med tillfälligt boende; fler "
                "ordningsstörningar vid krogarna på helgerna.",
                "Snöskotrar körs utanför lederna inne i samhällena i Sorsele och Malå.",
                "Inbrott i förråd hos en skoteruthyrare i Arjeplog.",
            ),
            2: ("Lugnare när testsäsongen tog slut.",),
            3: (
                "EPA-traktorer och bilar kör i rundor i Malå och Norsjö sena sommarkvällar.",
                "Stök och nedskräpning vid campingen i Arjeplog under semesterveckorna.",
                "Skadegörelse vid en badplats i Norsjö efter en helgfest.",
            ),
            4: ("Färre störningar sedan skolan började, men några inbrott i fritidshus i Sorsele.",),
        },
        "vald": {
            1: ("Bråk utanför uteställen under testsäsongen, framför allt i Arjeplog.",),
            3: ("Misshandel vid en privat fest i Arvidsjaur under sommaren.",),
            4: ("Några nya ärenden om våld i nära relation i två av kommunerna, i nivå med tidigare år.",),
        },
        "extremism": {
            2: ("Klistermärken med extrem propaganda har satts upp i Arvidsjaurs centrum.",),
            3: (
                "Skolan ser att elever delar propaganda från en våldsbejakande grupp i sociala medier.",
                "Klistermärkena i Arvidsjaur har tagits bort och inga nya har setts.",
            ),
        },
        "unga": {
            0: ("Skolorna i nätverket rapporterar en lugn höst.",),
            2: (
                "Unga i flera av kommunerna får erbjudanden om att köpa narkotika via appar.",
                "Fler elever är frånvarande efter helgerna i Arvidsjaur.",
            ),
            3: (
                "Unga under arton har setts i EPA-bilar med äldre som bjuder på alkohol.",
                "Det finns lite fritidsverksamhet på sommaren; unga samlas i stället vid badplatserna.",
            ),
            4: ("Föräldramötena om droger har varit välbesökta i alla fem kommunerna.",),
        },
        "ant": {
            1: (
                "Mycket alkohol under testsäsongen; krogarna har fått påminnelser om serveringsreglerna.",
                "Polisen har gjort beslag av narkotika i bilar på Inlandsvägen.",
            ),
            2: (
                "Signaler om att narkotika förs till inlandet längs Inlandsvägen och säljs vidare via appar.",
                "Förpackningar som kan ha innehållit narkotika hittades vid busshållplatsen i Sorsele.",
            ),
            3: (
                "Langning av alkohol till minderåriga vid badplatser och campingar under sommaren.",
                "Polisens kontroller längs Inlandsvägen har gett flera beslag av cannabis.",
                "Fler unga vuxna söker hjälp för narkotikamissbruk.",
            ),
            4: ("Tobakstillsynen har tillsammans med polisen besökt butikerna i alla fem kommunerna.",),
        },
        "tjansteman": {
            3: ("En förtroendevald i Sorsele har fått hotfulla meddelanden efter ett beslut om vindkraft.",),
            4: (
                "Hoten mot förtroendevalda har polisanmälts; kommunerna har tagit fram en gemensam rutin för "
                "stöd till den som utsätts.",
                "En handläggare i en av kommunerna har blivit uppsökt i hemmet efter ett beslut.",
            ),
        },
    },
    hotspots=(
        ("ordning", (1,), ("Arjeplogs centrum", "Arvidsjaurs centrum")),
        ("vald", (1,), ("Arjeplogs centrum",)),
        ("ordning", (3,), ("Campingen i Arjeplog", "Malå centrum", "Norsjö centrum")),
        ("ant", (2, 3, 4), ("Busshållplatsen vid Inlandsvägen i Sorsele", "Arvidsjaurs centrum")),
        ("unga", tuple(range(NETWORK_QUARTERS)), ("Skolan i Arvidsjaur", "Skolan i Norsjö")),
        ("extremism", (2, 3), ("Arvidsjaurs centrum", "Skolan i Arvidsjaur")),
        ("tjansteman", (3, 4), ("Sorsele centrum",)),
    ),
    seed=2505,
    period=Round.Period.QUARTER,
    first=dt.date(2025, 10, 1),
    periods=NETWORK_QUARTERS,
)

STORIES = (MALA_STORY, ALVDALEN_STORY, NETWORK_STORY)

# What an aktör writes when nothing in the story stands out, by status.
QUIET_TEXTS = {
    0: (
        "Inget särskilt att rapportera den här månaden.",
        "Lugnt. Inga händelser som vi känner till.",
        "Inga nya iakttagelser jämfört med förra månaden.",
    ),
    1: (
        "Enstaka händelser som vi följer, inget som kräver gemensamma åtgärder än.",
        "Något fler signaler än vanligt, men inget tydligt mönster.",
        "Vi har fått ett par frågor från invånare och håller ögonen öppna.",
    ),
    2: (
        "Återkommande händelser; vi vill ta upp det på nästa möte.",
        "Läget oroar oss och vi behöver hjälp av de andra aktörerna.",
    ),
    3: ("Allvarligt läge som kräver gemensamma insatser nu.",),
}

# Per shipped category: short descriptions of single incidents (no names, no personal data).
EVENT_TEXTS = {
    "Skadegörelse och klotter": (
        "Klotter på en vägg; anmält till fastighetsägaren.",
        "Sönderslagen ruta i en busskur.",
        "Skadegörelse på papperskorgar och en parkbänk.",
    ),
    "Ordningsstörning": (
        "Höga ljud och stök från ett större sällskap sent på natten.",
        "Berusade personer störde ordningen utanför ett uteställe.",
    ),
    "Inbrott eller stöld": (
        "Inbrott i ett förråd; verktyg stulna.",
        "Stöld av utrustning ur en olåst bil.",
        "Inbrott i ett fritidshus upptäckt av grannar.",
    ),
    "Brand eller anlagd brand": (
        "Brand i en papperskorg, släckt av förbipasserande.",
        "Mindre gräsbrand, troligen orsakad av en grill.",
    ),
    "Buskörning eller trafikstörning": (
        "EPA-traktorer och mopeder körde i rundor genom centrum.",
        "Spinn och höga ljud från bilar på parkeringen.",
        "Snöskoter körde inne i bebyggelsen.",
    ),
    "Otrygg plats": (
        "Flera invånare upplever platsen som otrygg efter mörkrets inbrott; belysningen är trasig.",
        "Grupp som samlas kvällstid gör att andra undviker platsen.",
    ),
    "Hot": (
        "Hot mot personal i samband med att en gäst nekades servering.",
        "Hotfulla meddelanden mellan två grupper av unga.",
    ),
    "Misshandel eller annat våld": (
        "Slagsmål mellan några personer; en lindrigt skadad.",
        "Misshandel utanför ett uteställe efter stängning.",
    ),
    "Våld i nära relation": ("Polisen kallades till en bostad efter larm om bråk.",),
    "Propaganda, symboler eller klistermärken": (
        "Klistermärken med extrem propaganda på en anslagstavla; borttagna.",
        "Symboler som används av en kriminell grupp målade på en vägg.",
    ),
    "Tecken på kriminellt nätverk": (
        "Uppgifter om att unga erbjuds betalt för att köra ärenden åt okända personer.",
        "Okända bilar från kusten har setts återkommande vid samma plats.",
    ),
    "Bråk eller oro vid skola eller fritidsgård": (
        "Slagsmål på rasten; personalen skilde eleverna åt.",
        "Konflikt mellan besökare på fritidsgården, löst genom samtal.",
        "Hot mellan elever i sociala medier som fortsatte i skolan.",
    ),
    "Ungdomar i riskmiljö": (
        "Unga under arton sågs tillsammans med äldre berusade personer sent på natten.",
        "Ungdomar samlades i en EPA-bil med alkohol.",
    ),
    "Alkohol": (
        "Langning av alkohol till minderåriga misstänks.",
        "Berusade ungdomar hittades vid badplatsen.",
    ),
    "Narkotika": (
        "Misstänkt försäljning av narkotika.",
        "Fynd av förpackningar som kan ha innehållit narkotika.",
        "Stark lukt av cannabis från en parkerad bil.",
    ),
    "Dopning eller tobak": (
        "Försäljning av snus till minderåriga misstänks.",
        "Tomma förpackningar av dopningspreparat hittade i ett omklädningsrum.",
    ),
    "Hot eller trakasserier mot tjänsteperson eller politiker": (
        "Hotfullt samtal till en handläggare efter ett beslut.",
        "Trakasserier mot en förtroendevald i sociala medier.",
    ),
}


# --- Building blocks -----------------------------------------------------------------------------


def _period_start(story: Story, index: int) -> dt.date:
    month = story.first.month - 1 + index * story.step
    return dt.date(story.first.year + month // 12, month % 12 + 1, 1)


def _period_end(story: Story, start: dt.date) -> dt.date:
    month = start.month - 1 + story.step
    following = dt.date(start.year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _period_index(story: Story, start: dt.date) -> int:
    return ((start.year - story.first.year) * 12 + start.month - story.first.month) // story.step


def _aware(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _lens(story: Story, org: Organisation) -> tuple[str, ...]:
    for fragment, areas in story.lenses:
        if fragment in org.name:
            return areas
    return ()


def _status_for(story: Story, org: Organisation, area: str, month: int, rng: random.Random) -> int:
    base = story.severity[area][month]
    seen = base if area in _lens(story, org) else max(0, base - 1)
    roll = rng.random()
    if roll < 0.08:
        seen += 1
    elif roll < 0.16:
        seen -= 1
    return min(3, max(0, seen))


def _trend(before: int | None, now: int, rng: random.Random) -> str:
    if rng.random() < 0.06:
        return Trend.VET_EJ
    if before is None or before == now:
        return Trend.OFORANDRAT
    return Trend.OKAR if now > before else Trend.MINSKAR


class _Writers:
    """Who writes for an organisation: its own member (not a läsare), else the samordnare."""

    def __init__(self, collaboration: Collaboration, samordnare: Any) -> None:
        self.samordnare = samordnare
        self.by_org: dict[int, Any] = {}
        self.police: Any = None
        memberships = (
            Membership.objects.filter(collaboration=collaboration)
            .exclude(role=Role.LASARE)
            .select_related("user")
            .order_by("user__email")
        )
        for membership in memberships:
            if membership.organisation_id:
                self.by_org.setdefault(membership.organisation_id, membership.user)
            if membership.role == Role.POLIS and self.police is None:
                self.police = membership.user

    def for_org(self, org: Organisation) -> Any:
        if org.kind == Organisation.Kind.POLIS and self.police is not None:
            return self.police
        return self.by_org.get(org.pk, self.samordnare)


def _level_for(org: Organisation, rng: random.Random, *, oppen_share: float) -> tuple[str, str]:
    if org.kind == Organisation.Kind.POLIS:
        return Level.BEGRANSAD, POLICE_ROLES
    if rng.random() < oppen_share:
        return Level.OPPEN, DEFAULT_RESTRICTED_TO
    return Level.INTERN, DEFAULT_RESTRICTED_TO


def _text_for(story: Story, area: str, month: int, status: int, used: set[str], rng: random.Random) -> str:
    """A story text of this month not yet used by another aktör, else a quiet text for the status."""
    fresh = [t for t in story.episodes.get(area, {}).get(month, ()) if t not in used]
    if fresh:
        text = rng.choice(fresh)
        used.add(text)
        return text
    return rng.choice(QUIET_TEXTS[status])


# --- Rounds, reports and answers -----------------------------------------------------------------


def _rounds(
    story: Story,
    collaboration: Collaboration,
    template: Template,
    reporters: list[Organisation],
    samordnare: Any,
    writers: _Writers,
    now: dt.datetime,
    rng: random.Random,
) -> list[Round]:
    questions = {
        (q.section.area_code, q.kind): q
        for q in Question.objects.filter(section__template=template).select_related("section")
    }
    rounds: list[Round] = []
    last = story.periods - 1
    for month in range(story.periods):
        start = _period_start(story, month)
        end = _period_end(story, start)
        deadline = _aware(end + dt.timedelta(days=DEADLINE_DAYS), 23, 59)
        latest = month == last
        if latest:
            deadline = max(deadline, now + dt.timedelta(days=7))
        rounds.append(
            Round(
                collaboration=collaboration,
                template=template,
                period=story.period,
                period_start=start,
                period_end=end,
                deadline=deadline,
                closed_at=None if latest else min(deadline + dt.timedelta(minutes=1), now),
                reminder_sent_at=None
                if deadline - dt.timedelta(days=3) > now
                else deadline - dt.timedelta(days=3),
                deadline_reminder_sent_at=None if latest else min(deadline - dt.timedelta(hours=8), now),
                created_by=samordnare,
            )
        )
    rounds = Round.objects.bulk_create(rounds)
    Round.organisations.through.objects.bulk_create(
        [Round.organisations.through(round=r, organisation=o) for r in rounds for o in reporters]
    )

    reports: list[Report] = []
    answers: list[Answer] = []
    previous: dict[tuple[int, str], int] = {}
    for month, round_ in enumerate(rounds):
        used: set[str] = set()
        # Recent periods are not complete: one aktör missing and one draft in the one before the latest,
        # more in the latest.
        order = list(reporters)
        rng.shuffle(order)
        missing = {o.pk for o in order[:1]} if month == last - 1 else set()
        drafts = {o.pk for o in order[1:2]} if month == last - 1 else set()
        if month == last:
            missing = {o.pk for o in order[: len(order) // 3]}
            drafts = {o.pk for o in order[len(order) // 3 : len(order) // 3 + 2]}
        elif month < last - 1 and rng.random() < 0.25:
            missing = {order[0].pk}  # now and then someone does not report in time
        for org in reporters:
            status_of = {area: _status_for(story, org, area, month, rng) for area in AREAS}
            before_of = {area: previous.get((org.pk, area)) for area in AREAS}
            previous.update({(org.pk, area): value for area, value in status_of.items()})
            if org.pk in missing:
                continue
            writer = writers.for_org(org)
            draft = org.pk in drafts
            last_day = round_.period_end + dt.timedelta(days=rng.randint(0, DEADLINE_DAYS - 1))
            submitted_at = min(_aware(last_day, rng.randint(8, 16), rng.randint(0, 59)), now)
            if month == last:  # the open round: reported during the last few days
                submitted_at = min(submitted_at, now - dt.timedelta(hours=rng.randint(2, 96)))
            report = Report(
                collaboration=collaboration,
                round=round_,
                organisation=org,
                status=Report.Status.UTKAST if draft else Report.Status.INSKICKAD,
                submitted_at=None if draft else submitted_at,
                submitted_by=None if draft else writer,
                updated_by=writer,
            )
            reports.append(report)
            areas = AREAS[: rng.randint(2, 4)] if draft else AREAS
            for area in areas:
                value = status_of[area]
                level, roles = _level_for(org, rng, oppen_share=0.2)
                answers.append(
                    Answer(
                        collaboration=collaboration,
                        report=report,
                        question=questions[(area, "status")],
                        status=STATUSES[value],
                        level=level,
                        restricted_to=roles,
                    )
                )
                answers.append(
                    Answer(
                        collaboration=collaboration,
                        report=report,
                        question=questions[(area, "trend")],
                        trend=_trend(before_of[area], value, rng),
                        level=level,
                        restricted_to=roles,
                    )
                )
                if rng.random() < (0.12, 0.45, 0.85, 1.0)[value]:
                    level, roles = _level_for(org, rng, oppen_share=0.1)
                    answers.append(
                        Answer(
                            collaboration=collaboration,
                            report=report,
                            question=questions[(area, "text")],
                            text=_text_for(story, area, month, value, used, rng),
                            level=level,
                            restricted_to=roles,
                        )
                    )
                hot = _hotspots(story, area, month)
                if value >= 2 and hot and rng.random() < 0.6:
                    answers.append(
                        Answer(
                            collaboration=collaboration,
                            report=report,
                            question=questions[(area, "places")],
                            places=[{"name": name} for name in rng.sample(hot, k=min(len(hot), 2))],
                            level=level,
                            restricted_to=roles,
                        )
                    )
    Report.objects.bulk_create(reports)
    for answer in answers:
        answer.report_id = answer.report.pk
    Answer.objects.bulk_create(answers)
    return rounds


def _hotspots(story: Story, area: str, month: int) -> list[str]:
    names: list[str] = []
    for spot_area, months, places in story.hotspots:
        if spot_area == area and month in months:
            names.extend(p for p in places if p not in names)
    return names


# --- Events --------------------------------------------------------------------------------------


def _events(
    story: Story,
    collaboration: Collaboration,
    places: dict[str, Place],
    reporters: list[Organisation],
    writers: _Writers,
    now: dt.datetime,
    rng: random.Random,
) -> list[Event]:
    categories = list(EventCategory.objects.filter(collaboration__isnull=True, active=True).order_by("order"))
    per_area: dict[str, int] = {}
    for category in categories:
        per_area[category.area_code] = per_area.get(category.area_code, 0) + 1
    place_list = list(places.values())
    events: list[Event] = []
    for month in range(story.periods):
        start = _period_start(story, month)
        end = _period_end(story, start)
        pressure = sum(story.severity[area][month] for area in AREAS)
        count = story.step * (3 + pressure) + rng.randint(0, 2)
        weights = [
            (1 + 4 * story.severity.get(c.area_code, (0,) * story.periods)[month]) / per_area[c.area_code]
            for c in categories
        ]
        for _n in range(count):
            category = rng.choices(categories, weights)[0]
            occurred = _event_time(start, end, rng)
            if occurred >= now:
                continue
            hot = _hotspots(story, category.area_code, month)
            place = places[rng.choice(hot)] if hot and rng.random() < 0.75 else rng.choice(place_list)
            org = rng.choice(reporters)
            writer = writers.for_org(org)
            level, roles = _level_for(org, rng, oppen_share=0.25)
            with_point = rng.random() < 0.85
            lat = lon = None
            if with_point and place.latitude is not None and place.longitude is not None:
                lat = round(place.latitude + rng.uniform(-0.006, 0.006), 5)
                lon = round(place.longitude + rng.uniform(-0.006, 0.006), 5)
            events.append(
                Event(
                    collaboration=collaboration,
                    kommun_id=place.kommun_id,
                    category=category,
                    occurred_at=occurred,
                    place=place if rng.random() < 0.8 else None,
                    place_name=place.name,
                    latitude=lat,
                    longitude=lon,
                    description=rng.choice(EVENT_TEXTS.get(category.name, ("Händelse rapporterad.",))),
                    organisation=org,
                    reported_by=writer,
                    source=Event.Source.MEMBER,
                    level=level,
                    restricted_to=roles,
                )
            )
    return Event.objects.bulk_create(events)


def _event_time(start: dt.date, end: dt.date, rng: random.Random) -> dt.datetime:
    """Most incidents on Friday and Saturday nights, the rest in the daytime on any day."""
    days = [start + dt.timedelta(days=d) for d in range((end - start).days + 1)]
    if rng.random() < 0.6:
        weekend = [d for d in days if d.weekday() in (4, 5)]
        day = rng.choice(weekend)
        hour = rng.choice((20, 21, 22, 23, 24, 25, 26))
        moment = dt.datetime.combine(day, dt.time(0)) + dt.timedelta(hours=hour, minutes=rng.randint(0, 59))
        return timezone.make_aware(moment)
    return _aware(rng.choice(days), rng.randint(7, 19), rng.randint(0, 59))


# --- Loading -------------------------------------------------------------------------------------


def _places(story: Story, collaboration: Collaboration) -> dict[str, Place]:
    kommuner = {k.kod: k for k in Kommun.objects.filter(kod__in=story.kommuner)}
    result = {}
    for name, lat, lon in story.places:
        place, _created = Place.objects.get_or_create(
            collaboration=collaboration,
            kommun=kommuner[story.kommun_of(name)],
            name=name,
            defaults={"latitude": lat, "longitude": lon},
        )
        result[name] = place
    return result


def _load_story(story: Story, samordnare: Any, now: dt.datetime) -> None:
    from samverkan.situation.defaults import ensure_default_template, ensure_event_categories

    collaboration = Collaboration.objects.get(name=story.collaboration)
    if RoundSchedule.objects.filter(collaboration=collaboration).exists():
        return
    template = ensure_default_template()
    ensure_event_categories()
    orgs = {o.name: o for o in Organisation.objects.filter(participations__collaboration=collaboration)}
    reporters = [orgs[name] for name in story.reporters]
    writers = _Writers(collaboration, samordnare)
    rng = random.Random(story.seed)  # noqa: S311 - demo content, not security
    places = _places(story, collaboration)
    _rounds(story, collaboration, template, reporters, samordnare, writers, now, rng)
    _events(story, collaboration, places, reporters, writers, now, rng)
    schedule = RoundSchedule.objects.create(
        collaboration=collaboration,
        template=template,
        period=story.period,
        deadline_days=DEADLINE_DAYS,
        active=True,
        updated_by=samordnare,
    )
    schedule.organisations.set(reporters)


SUMMARY_LEADS = {
    0: "Lugnt enligt aktörerna.",
    1: "Viss oro; aktörerna följer läget.",
    2: "Oroande, med återkommande händelser.",
    3: "Allvarligt läge som kräver gemensamma insatser.",
}


def _summary(story: Story, area: str, month: int) -> str:
    """The samordnare's summary of one area: the overall judgement and the month's main story."""
    lead = SUMMARY_LEADS[story.severity[area][month]]
    episode = story.episodes.get(area, {}).get(month, ())
    return f"{lead} {episode[0]}" if episode else lead


def _agree_pictures(story: Story, samordnare: Any, now: dt.datetime) -> None:
    """Summarise and agree the joint picture of every closed period not yet agreed.

    Needs the picture services; without them the rounds are left for the samordnare to agree.
    """
    try:
        from samverkan.situation.services.picture import area_summary_save, picture_agree
    except ImportError:
        return
    rounds = Round.objects.filter(
        collaboration__name=story.collaboration, closed_at__isnull=False, period_start__gte=story.first
    ).order_by("period_start")
    for round_ in rounds:
        if PictureVersion.objects.filter(picture__round=round_).exists():
            continue
        month = _period_index(story, round_.period_start)
        for section in round_.template.sections.order_by("order"):
            if section.area_code in story.severity:
                area_summary_save(
                    picture_or_round=round_,
                    section=section,
                    text=_summary(story, section.area_code, month),
                    level=Level.INTERN,
                    acting_user=samordnare,
                )
        meeting_date = min(round_.period_end + dt.timedelta(days=12), now.date())
        picture_agree(round_=round_, acting_user=samordnare, meeting=story.meeting, meeting_date=meeting_date)


@transaction.atomic
def load_demo_situation(samordnare_for: dict[str, Any]) -> None:
    """The lägesbild year of the demo stories (once); ``samordnare_for`` maps collaboration name → user."""
    now = timezone.now()
    for story in STORIES:
        samordnare = samordnare_for[story.collaboration]
        _load_story(story, samordnare, now)
        _agree_pictures(story, samordnare, now)


__all__ = ["STORIES", "load_demo_situation"]
