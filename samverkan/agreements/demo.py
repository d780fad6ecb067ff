"""Demo agreements shaped like the seed situations, written in our own words; invented people.

Called from samverkan.core.demo.load_demo after the collaborations, organisations and members exist.
Each agreement chain is created once (looked up by title), so re-running the demo changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from samverkan.agreements import services
from samverkan.agreements.models import Agreement, CitizenPromise, FactSource, Group, GroupMember
from samverkan.core.models import Collaboration, Kommun, Organisation, PoliceArea

D = dt.date
S = FactSource.Kind
R = FactSource.Rhythm
GR = GroupMember.GroupRole
INVITED = GroupMember.Standing.INBJUDEN


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _create(
    collaboration: Collaboration,
    user: Any,
    *,
    kommuner: list[str],
    areas: list[str],
    others: Sequence[str] = (),
    **fields: Any,
) -> Agreement:  # type: ignore[assignment]
    return services.agreement_create(
        collaboration=collaboration,
        kommuner=list(Kommun.objects.filter(kod__in=kommuner)),
        police_areas=list(PoliceArea.objects.filter(namn__in=areas)),
        other_parties=[_org(n) for n in others],
        acting_user=user,
        **fields,
    )


def _areas(agreement: Agreement, user: Any, areas: list[tuple[str, str, list[str]]]) -> None:
    for title, description, children in areas:
        parent = services.focus_area_add(
            agreement=agreement,
            title=title,
            description=description,
            changed_on=agreement.start_date - dt.timedelta(days=14),
            acting_user=user,
        )
        for child in children:
            services.focus_area_add(
                agreement=agreement,
                title=child,
                parent=parent,
                changed_on=agreement.start_date - dt.timedelta(days=14),
                acting_user=user,
            )


def _sources(agreement: Agreement, user: Any, sources: list[tuple[str, str, str, int | None]]) -> None:
    for kind, rhythm, description, month in sources:
        services.fact_source_save(
            agreement=agreement,
            kind=kind,
            rhythm=rhythm,
            description=description,
            month=month,
            acting_user=user,
        )


def _sign(agreement: Agreement, user: Any, on: dt.date, people: list[tuple[str, str, str]]) -> None:
    for name, title, org in people:
        services.signatory_save(
            agreement=agreement,
            name=name,
            title=title,
            organisation=_org(org),
            signed_on=on,
            acting_user=user,
        )


def _group(
    collaboration: Collaboration,
    user: Any,
    agreement: Agreement,
    members: list[tuple[Any, ...]],
    **fields: Any,
) -> Group:
    group = services.group_save(
        collaboration=collaboration, agreements=[agreement], acting_user=user, **fields
    )
    for org, role, standing, person, representing in members:
        services.group_member_save(
            group=group,
            organisation=_org(org) if org else None,
            role=role,
            standing=standing,
            person_name=person,
            representing=representing,
            acting_user=user,
        )
    return group


def _mala(collaboration: Collaboration, user: Any) -> None:
    agreement = _create(
        collaboration,
        user,
        kommuner=["2418"],
        areas=["LPO Skellefteå"],
        title="Samverkansavtal mellan Malå kommun och Polisen 2020–2022",
        start_date=D(2020, 1, 1),
        end_date=D(2022, 12, 31),
        purpose=(
            "Kommunen, polisen och fler aktörer i samhället – också näringslivet och medborgarna själva – "
            "arbetar planerat tillsammans för att minska brottsligheten och göra Malå till en välkomnande "
            "och trygg kommun. Avtalet tar vid efter medborgarlöftena 2017–2018."
        ),
        effects_sought=(
            "Medborgarna upplever större trygghet och brottsligheten minskar på sikt\n"
            "Fler invånare och aktörer deltar i det trygghetsskapande arbetet\n"
            "Dold brottslighet blir synlig, särskilt bland unga"
        ),
        communication_plan=(
            "Avtalet finns på kommunens och polisens webbplatser och presenteras för förvaltningarna, de "
            "förtroendevalda och medborgarna när det börjar gälla. Protokollen från REK-gruppens möten "
            "publiceras på kommunens webbplats. Aktörernas arbete redovisas löpande i en gemensam uppföljning."
        ),
        followup_rhythm="Vid varje REK-möte och en gång per år",
        followup_reporting=(
            "Efter varje arbetsår gör REK-gruppen en samlad utvärdering som redovisas för kommunstyrelsen "
            "och för lokalpolisområdets ledningsgrupp."
        ),
        evaluation_month=1,
        signed_place="Malå",
    )
    _areas(
        agreement,
        user,
        [
            (
                "Narkotika",
                "Polisen ökar insatserna mot narkotikabrott; fler upptäckta och anmälda brott är väntat.",
                [],
            ),
            (
                "Information mot brott och droger",
                "Kommun och polis genomför gemensamma informationsinsatser.",
                [],
            ),
            (
                "Trafik och buskörning",
                "Bättre trafiksituation i Malå.",
                [
                    "Riktade polisinsatser mot buskörning",
                    "Information till unga och vuxna om trafikbeteende och attityder",
                    "Trafiksituationen vid skolan (situationella åtgärder)",
                ],
            ),
        ],
    )
    _sources(
        agreement,
        user,
        [
            (S.UNDERRATTELSER, R.VARJE_MOTE, "Polisens underrättelser redovisas muntligt på mötet", None),
            (S.AKTORERNAS_BILD, R.VARJE_MOTE, "Varje aktör beskriver läget i sin verksamhet", None),
            (S.ANDT_ARSKURS9, R.ARLIGEN, "ANDT-kartläggning i årskurs 9", 3),
            (S.MEDBORGARENKAT, R.ARLIGEN, "Medborgarenkät om trygghet", 10),
        ],
    )
    _sign(
        agreement,
        user,
        D(2019, 12, 16),
        [
            ("Gunilla Marklund", "Kommunalråd", "Malå kommun – kommunledningen"),
            ("Stig Holmberg", "Kommunalråd", "Malå kommun – kommunledningen"),
            ("Lena Byström", "Chef för lokalpolisområde Skellefteå", "Polisen, LPO Skellefteå"),
            ("Tomas Nyberg", "Gruppchef, polisen i Malå", "Polisen, LPO Skellefteå"),
        ],
    )
    _group(
        collaboration,
        user,
        agreement,
        [
            ("Malå kommun – kommunledningen", GR.SAMMANKALLANDE, "standig", "Karin Lindqvist", ""),
            ("Malå kommun – socialtjänsten", GR.LEDAMOT, "standig", "", ""),
            ("Malå kommun – skolan", GR.LEDAMOT, "standig", "", ""),
            ("Malå kommun – fritidsgården", GR.LEDAMOT, "standig", "", ""),
            ("Polisen, LPO Skellefteå", GR.LEDAMOT, "standig", "", ""),
            ("Företagare i Malå", GR.LEDAMOT, INVITED, "", "Det lokala privata näringslivet"),
            ("Hälsocentralen i Malå, Region Västerbotten", GR.LEDAMOT, INVITED, "", ""),
            ("Malå församling", GR.LEDAMOT, INVITED, "", ""),
            (
                "Malå räddningstjänst",
                GR.ADJUNGERAD,
                INVITED,
                "",
                "Miljö- och byggavdelningen/räddningstjänsten",
            ),
            (None, GR.LEDAMOT, INVITED, "", "Föreningslivet i Malå"),
            (None, GR.LEDAMOT, INVITED, "", "Hälsorådet"),
            (None, GR.LEDAMOT, INVITED, "", "Pensionärs- och handikapprådet"),
        ],
        name="REK-gruppen i Malå",
        kind=Group.Kind.REK,
        tier=Group.Tier.OPERATIV,
        purpose="Enas om läget, fördelar arbetsuppgifter till nästa möte och följer upp dem.",
        meetings_per_year=4,
        rhythm_note="ett möte per kvartal",
        place="Polisstationen i Malå",
    )
    services.agreement_set_status(agreement=agreement, status=Agreement.Status.GALLANDE, acting_user=user)
    services.focus_area_add(
        agreement=agreement,
        title="Bedrägerier",
        description="Bedrägerier mot äldre via telefon och nätet.",
        changed_on=D(2020, 9, 14),
        reason="Fler anmälda bedrägerier mot äldre sedan förra avtalet; REK-gruppen beslutade att lägga till området.",
        acting_user=user,
    )
    promise = services.promise_save(
        collaboration=collaboration,
        title="Medborgarlöften 2017–2018",
        text="Polisen och kommunen lovade invånarna i Malå gemensamma insatser mot narkotika och buskörning.",
        start_date=D(2017, 1, 1),
        end_date=D(2018, 12, 31),
        status=CitizenPromise.Status.UPPFYLLT,
        replaced_by=agreement,
        acting_user=user,
    )
    for description, org in (
        ("Fler synliga kontroller mot narkotika under helger", "Polisen, LPO Skellefteå"),
        ("Föräldramöten om droger i årskurs 7–9", "Malå kommun – skolan"),
    ):
        services.promise_activity_save(
            promise=promise,
            description=description,
            responsible=_org(org),
            status=CitizenPromise.Status.UPPFYLLT,
            acting_user=user,
        )
    successor = services.agreement_renew(
        agreement=agreement,
        title="Samverkansavtal mellan Malå kommun och Polisen 2023–2026",
        start_date=D(2023, 1, 1),
        end_date=D(2026, 12, 31),
        acting_user=user,
    )
    services.agreement_set_status(agreement=successor, status=Agreement.Status.GALLANDE, acting_user=user)


def _alvsbyn(collaboration: Collaboration, user: Any) -> None:
    agreement = _create(
        collaboration,
        user,
        kommuner=["2560"],
        areas=["LPO Piteå älvdal"],
        others=[
            "Region Norrbotten, närsjukvården i Älvsbyn",
            "Företagarföreningen i Älvsbyn",
            "Föreningsrådet i Älvsbyn",
        ],
        title="Samverkansavtal mellan Älvsbyns kommun och Polisen 2022–2025",
        start_date=D(2022, 9, 1),
        end_date=D(2025, 12, 31),
        purpose=(
            "Kommunen och polisen samlar sina krafter i ett gemensamt brottsförebyggande uppdrag med fokus på "
            "barn och unga. Arbetet följer fem steg: fakta, gemensam lägesbild, handlingsplan, genomförande "
            "och uppföljning."
        ),
        effects_sought="Tryggare uppväxt för barn och unga\nFärre våldsbrott i hemmet och på allmän plats",
        communication_plan="Avtalet publiceras på kommunens webbplats; folkhälsorådet informerar kommunstyrelsen.",
        followup_rhythm="Vid varje möte i folkhälsorådet och årligen",
        followup_reporting="Brottsförebyggande rådet återrapporterar till folkhälsorådet, som redovisar för kommunstyrelsen.",
        evaluation_month=2,
        signed_place="Älvsbyn",
    )
    _areas(
        agreement,
        user,
        [
            (
                "Barn och unga",
                "Det övergripande fokuset för perioden.",
                ["Förebyggande arbete med barn och unga"],
            ),
            ("Trygga miljöer", "Platser där invånarna ska kunna röra sig utan oro.", []),
            ("Våld på allmän plats", "", []),
            ("Våld i nära relationer", "", []),
        ],
    )
    _sources(
        agreement,
        user,
        [
            (S.POLISSTATISTIK, R.VARJE_MOTE, "Polisens statistik för Älvsbyn", None),
            (S.AKTORERNAS_BILD, R.VARJE_MOTE, "Insamlat underlag från rådets aktörer", None),
            (S.MEDBORGARENKAT, R.ARLIGEN, "Trygghetsmätning", 11),
        ],
    )
    _sign(
        agreement,
        user,
        D(2022, 8, 29),
        [
            ("Marita Sjöberg", "Kommunchef", "Älvsbyns kommun – kommunledningen"),
            ("Anders Lund", "Kommunpolis", "Polisen, LPO Piteå älvdal"),
        ],
    )
    strategic = _group(
        collaboration,
        user,
        agreement,
        [
            (
                "Älvsbyns kommun – kommunledningen",
                GR.ORDFORANDE,
                "standig",
                "",
                "Politiker och tjänstepersoner",
            ),
            ("Polisen, LPO Piteå älvdal", GR.LEDAMOT, "standig", "", ""),
            ("Region Norrbotten, närsjukvården i Älvsbyn", GR.LEDAMOT, "standig", "", ""),
            ("Föreningsrådet i Älvsbyn", GR.LEDAMOT, "standig", "", "Föreningslivet"),
            ("Företagarföreningen i Älvsbyn", GR.LEDAMOT, "standig", "", "Företagarna"),
        ],
        name="Folkhälsorådet",
        kind=Group.Kind.FOLKHALSORAD,
        tier=Group.Tier.STRATEGISK,
        purpose="Styr det gemensamma brottsförebyggande arbetet och ger uppdrag till brottsförebyggande rådet.",
        meetings_per_year=4,
        rhythm_note="fyra gånger per år",
        place="Kommunhuset",
    )
    _group(
        collaboration,
        user,
        agreement,
        [
            ("Älvsbyns kommun – socialtjänsten", GR.SAMMANKALLANDE, "standig", "Maria Sundberg", ""),
            ("Älvsbyns kommun – barn och utbildning", GR.LEDAMOT, "standig", "", ""),
            ("Polisen, LPO Piteå älvdal", GR.LEDAMOT, "standig", "Anders Lund", ""),
        ],
        name="Brottsförebyggande rådet",
        kind=Group.Kind.BRA,
        tier=Group.Tier.OPERATIV,
        purpose="Genomför det operativa arbetet utifrån folkhälsorådets uppdrag.",
        meetings_per_year=8,
        rhythm_note="före och efter varje möte i folkhälsorådet",
        reports_to=strategic,
        meets_around=strategic,
        meets_around_relation=Group.Relation.FORE_OCH_EFTER,
    )
    services.agreement_set_status(agreement=agreement, status=Agreement.Status.GALLANDE, acting_user=user)
    successor = services.agreement_renew(
        agreement=agreement,
        title="Samverkansavtal mellan Älvsbyns kommun och Polisen 2026–2029",
        start_date=D(2026, 1, 1),
        end_date=D(2029, 12, 31),
        acting_user=user,
    )
    # In force, as Malå's renewal is: the kommun's public portal shows the agreement citizens live under.
    services.agreement_set_status(agreement=successor, status=Agreement.Status.GALLANDE, acting_user=user)
    promise = services.promise_save(
        collaboration=collaboration,
        title="Tryggare centrum kvällstid 2026",
        text=(
            "Kommunen, polisen och föreningslivet lovar att göra centrum och busstationen tryggare på kvällar "
            "och helger: fler vuxna ute, bättre belysning på gångstråken och polis som syns när skolan slutar."
        ),
        start_date=D(2026, 1, 1),
        end_date=D(2026, 12, 31),
        status=CitizenPromise.Status.PAGAR,
        agreement=successor,
        acting_user=user,
    )
    for description, org, status in (
        (
            "Nattvandring med föreningsrådet fredag och lördag",
            "Föreningsrådet i Älvsbyn",
            CitizenPromise.Status.PAGAR,
        ),
        (
            "Ny belysning längs gångstråket vid busstationen",
            "Älvsbyns kommun – kommunledningen",
            CitizenPromise.Status.UPPFYLLT,
        ),
    ):
        services.promise_activity_save(
            promise=promise, description=description, responsible=_org(org), status=status, acting_user=user
        )


ALVDALEN_AREAS = [
    (
        "Ordningsstörningar och otrygghet",
        "Vad har skapat otrygghet den senaste månaden – till exempel inbrott, buskörning, bränder eller skadegörelse?",
    ),
    (
        "Hot och våld",
        "Vilka hot och våldsbrott har märkts den senaste månaden, på allmän plats och i hemmen?",
    ),
    (
        "Extremism och kriminella nätverk",
        "Finns tecken på våldsbejakande extremism eller kriminella nätverk, som klotter, propaganda eller rekrytering?",
    ),
    (
        "Ungdomar/skolor",
        "Har det varit bråk eller oro på skolor, fritidsgårdar eller andra platser där unga finns?",
    ),
    (
        "Alkohol, narkotika, dopning och tobak",
        "Vilka tecken på handel med eller bruk av alkohol, narkotika, dopning och tobak har setts?",
    ),
    (
        "Hot mot kommunala tjänstemän och politiker",
        "Har någon utsatts för hot, våld eller trakasserier på grund av beslut eller politisk tillhörighet?",
    ),
]


def _alvdalen(collaboration: Collaboration, user: Any) -> None:
    agreement = _create(
        collaboration,
        user,
        kommuner=["2039"],
        areas=["LPO Mora"],
        title="Samverkansöverenskommelse mellan Älvdalens kommun och Lokalpolisområde Mora 2019–2021",
        start_date=D(2019, 4, 1),
        end_date=D(2021, 12, 31),
        purpose=(
            "Att på kort och lång sikt stärka det lokala brottsförebyggande arbetet, öka tryggheten och minska "
            "brottsligheten i Älvdalen, med tydliga former för samverkan och åtaganden."
        ),
        effects_sought="Ökad trygghet i kommunen\nMinskad brottslighet",
        communication_plan="Överenskommelsen publiceras på kommunens och polisens webbplatser.",
        followup_rhythm="Varje månad i arbetsgruppen och årligen",
        followup_reporting="Årlig uppföljning till kommunstyrelsen och ledningen för lokalpolisområde Mora.",
        signed_place="Mora",
    )
    for title, question in ALVDALEN_AREAS:
        services.focus_area_add(
            agreement=agreement,
            title=title,
            description=question,
            changed_on=D(2019, 3, 22),
            acting_user=user,
        )
    _sources(
        agreement,
        user,
        [
            (
                S.AKTORERNAS_BILD,
                R.MANADSVIS,
                "Varje parts egen lokala lägesbild enligt länsstyrelsens mall",
                None,
            ),
            (S.POLISSTATISTIK, R.MANADSVIS, "Polisens brottsstatistik", None),
            (S.DIALOGER, R.LOPANDE, "Medborgar- och medarbetardialoger", None),
            (S.MEDBORGARENKAT, R.ARLIGEN, "Trygghetsundersökning", 9),
            (S.LUPP, R.ARLIGEN, "Lupp – lokal uppföljning av ungdomspolitiken", 5),
        ],
    )
    _sign(
        agreement,
        user,
        D(2019, 3, 22),
        [
            ("Håkan Wallin", "Lokalpolisområdeschef Mora", "Polisen, LPO Mora"),
            ("Birgitta Olsson", "Kommunstyrelsens ordförande", "Älvdalens kommun – kommunledningen"),
        ],
    )
    _group(
        collaboration,
        user,
        agreement,
        [
            ("Älvdalens kommun – kommunledningen", GR.SAMMANKALLANDE, "standig", "Ingrid Mattsson", ""),
            ("Polisen, LPO Mora", GR.LEDAMOT, "standig", "Nils Hedin", ""),
            ("Älvdalens kommun – skola och fritid", GR.LEDAMOT, "standig", "", ""),
            ("Älvdalens kommun – individ- och familjeomsorgen", GR.LEDAMOT, "standig", "", ""),
            ("Räddningstjänsten i Älvdalen", GR.ADJUNGERAD, INVITED, "", ""),
            ("Älvdalens bostadsbolag", GR.LEDAMOT, INVITED, "", ""),
        ],
        name="Arbetsgrupp BRÅ",
        kind=Group.Kind.ARBETSGRUPP_BRA,
        tier=Group.Tier.OPERATIV,
        purpose="Tar fram den gemensamma lägesbilden varje månad och följer upp åtgärderna.",
        meetings_per_year=10,
        rhythm_note="varje månad utom juli och augusti",
        place="Kommunhuset i Älvdalen",
    )
    services.agreement_set_status(agreement=agreement, status=Agreement.Status.GALLANDE, acting_user=user)
    successor = services.agreement_renew(
        agreement=agreement,
        title="Samverkansöverenskommelse mellan Älvdalens kommun och Lokalpolisområde Mora 2022–2026",
        start_date=D(2022, 1, 1),
        end_date=D(2026, 12, 31),
        acting_user=user,
    )
    services.agreement_set_status(agreement=successor, status=Agreement.Status.GALLANDE, acting_user=user)


def _network(collaboration: Collaboration, user: Any) -> None:
    agreement = _create(
        collaboration,
        user,
        kommuner=["2418", "2417", "2422", "2505", "2506"],
        areas=["LPO Skellefteå", "LPO Lycksele", "LPO Piteå älvdal"],
        others=["Länsstyrelsen Västerbotten", "Länsstyrelsen Norrbotten"],
        title="Samverkansöverenskommelse för fem inlandskommuner 2014–2017",
        start_date=D(2014, 9, 1),
        end_date=D(2017, 12, 31),
        purpose=(
            "Fem små inlandskommuner i två län och polisen gör det brottsförebyggande samarbetet permanent, "
            "över kommun- och länsgränser, för trygga uppväxtvillkor i glesbygd."
        ),
        effects_sought="Trygga uppväxtvillkor i glesbygd\nStarkare lokala nätverk kring förebyggande arbete",
        communication_plan="Varje kommun publicerar överenskommelsen; länsstyrelserna sprider erfarenheterna.",
        followup_rhythm="Vid nätverksträffarna och årligen",
        followup_reporting="Varje kommuns styrgrupp och polisens ledning får en årlig uppföljning.",
        signed_place="Arvidsjaur",
    )
    _areas(
        agreement,
        user,
        [
            ("Trygga uppväxtvillkor i glesbygd", "", []),
            (
                "ANDT-förebyggande arbete",
                "Kopplat till kommunernas ANDT/BRÅ-program.",
                ["Tobakstillsyn tillsammans med polisen"],
            ),
            (
                "Föräldrastöd",
                "Utbildade gruppledare i föräldraprogram och informatörer för föräldramöten.",
                [],
            ),
        ],
    )
    _sources(
        agreement,
        user,
        [
            (S.POLISSTATISTIK, R.ARLIGEN, "Polisens statistik per kommun", 2),
            (S.FALTRAPPORTER, R.LOPANDE, "Kommunala kartläggningar och fältrapporter", None),
        ],
    )
    _group(
        collaboration,
        user,
        agreement,
        [
            ("Malå kommun – kommunledningen", GR.SAMMANKALLANDE, "standig", "Karin Lindqvist", ""),
            ("Norsjö kommun – kommunledningen", GR.LEDAMOT, "standig", "Hanna Strömberg", ""),
            ("Sorsele kommun – kommunledningen", GR.LEDAMOT, "standig", "Jenny Wikström", ""),
            ("Arvidsjaurs kommun – kommunledningen", GR.LEDAMOT, "standig", "David Nordin", ""),
            ("Arjeplogs kommun – kommunledningen", GR.LEDAMOT, "standig", "Elin Sandberg", ""),
            ("Polisen, LPO Skellefteå", GR.LEDAMOT, "standig", "Erik Holmgren", ""),
            ("Länsstyrelsen Västerbotten", GR.ADJUNGERAD, "standig", "", ""),
            ("Länsstyrelsen Norrbotten", GR.ADJUNGERAD, "standig", "", ""),
        ],
        name="Nätverket för samordnare och kontaktpoliser",
        kind=Group.Kind.ANNAN,
        tier=Group.Tier.OPERATIV,
        purpose="Samordnare och kontaktpoliser från de fem kommunerna jämför lägesbilder och planerar gemensamma insatser.",
        meetings_per_year=2,
        rhythm_note="två nätverksträffar per år",
    )
    services.agreement_set_status(agreement=agreement, status=Agreement.Status.GALLANDE, acting_user=user)
    successor = services.agreement_renew(
        agreement=agreement,
        title="Samverkansöverenskommelse för fem inlandskommuner 2025–2028",
        start_date=D(2025, 1, 1),
        end_date=D(2028, 12, 31),
        acting_user=user,
    )
    services.agreement_set_status(agreement=successor, status=Agreement.Status.GALLANDE, acting_user=user)


DEMO_AGREEMENTS = {
    "Malå kommun och LPO Skellefteå": (_mala, "Samverkansavtal mellan Malå kommun och Polisen 2020–2022"),
    "Älvsbyns kommun och LPO Piteå älvdal": (
        _alvsbyn,
        "Samverkansavtal mellan Älvsbyns kommun och Polisen 2022–2025",
    ),
    "Älvdalens kommun och LPO Mora": (
        _alvdalen,
        "Samverkansöverenskommelse mellan Älvdalens kommun och Lokalpolisområde Mora 2019–2021",
    ),
    "Inlandsnätverket: Malå, Norsjö, Sorsele, Arvidsjaur och Arjeplog": (
        _network,
        "Samverkansöverenskommelse för fem inlandskommuner 2014–2017",
    ),
}


# The agreements in force and who signed them (invented people). Älvsbyns draft 2026–2029 stays unsigned:
# the collaboration home then shows what an unsigned agreement looks like.
CURRENT_SIGNATORIES: dict[str, tuple[str, dt.date, list[tuple[str, str, str]]]] = {
    "Malå kommun och LPO Skellefteå": (
        "Samverkansavtal mellan Malå kommun och Polisen 2023–2026",
        D(2022, 12, 12),
        [
            ("Gunilla Marklund", "Kommunstyrelsens ordförande", "Malå kommun – kommunledningen"),
            ("Lena Byström", "Chef för lokalpolisområde Skellefteå", "Polisen, LPO Skellefteå"),
        ],
    ),
    "Älvdalens kommun och LPO Mora": (
        "Samverkansöverenskommelse mellan Älvdalens kommun och Lokalpolisområde Mora 2022–2026",
        D(2021, 12, 14),
        [
            ("Birgitta Olsson", "Kommunstyrelsens ordförande", "Älvdalens kommun – kommunledningen"),
            ("Per-Ola Dahlin", "Lokalpolisområdeschef Mora", "Polisen, LPO Mora"),
        ],
    ),
    "Inlandsnätverket: Malå, Norsjö, Sorsele, Arvidsjaur och Arjeplog": (
        "Samverkansöverenskommelse för fem inlandskommuner 2025–2028",
        D(2024, 12, 9),
        [
            ("Gunilla Marklund", "Kommunstyrelsens ordförande", "Malå kommun – kommunledningen"),
            ("Lars Öberg", "Kommunstyrelsens ordförande", "Norsjö kommun – kommunledningen"),
            ("Maja Grahn", "Kommunstyrelsens ordförande", "Sorsele kommun – kommunledningen"),
            ("Tommy Burman", "Kommunstyrelsens ordförande", "Arvidsjaurs kommun – kommunledningen"),
            ("Siv Lundmark", "Kommunstyrelsens ordförande", "Arjeplogs kommun – kommunledningen"),
            ("Lena Byström", "Chef för lokalpolisområde Skellefteå", "Polisen, LPO Skellefteå"),
            ("Jonas Rönnqvist", "Chef för lokalpolisområde Lycksele", "Polisen, LPO Lycksele"),
            ("Camilla Eklund", "Chef för lokalpolisområde Piteå älvdal", "Polisen, LPO Piteå älvdal"),
        ],
    ),
}


def load_demo_agreements(samordnare_for: dict[str, Any]) -> None:
    """Create the demo agreements (once); ``samordnare_for`` maps collaboration name → acting user."""
    for name, (build, first_title) in DEMO_AGREEMENTS.items():
        collaboration = Collaboration.objects.get(name=name)
        if Agreement.objects.filter(collaboration=collaboration, title=first_title).exists():
            continue
        build(collaboration, samordnare_for[name])
    # Separate from the chains above, so a demo database made before the signatories were added gets them.
    for name, (title, signed_on, people) in CURRENT_SIGNATORIES.items():
        agreement = Agreement.objects.filter(collaboration__name=name, title=title).first()
        if agreement is not None and not agreement.signatories.exists():
            _sign(agreement, samordnare_for[name], signed_on, people)


__all__ = ["load_demo_agreements"]
