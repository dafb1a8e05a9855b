"""The demo governance spaces' contents (``demo``): Pix in Portuguese, Bre-B in Spanish, their seats,
consultations, contributions of each kind and the official responses given to them."""

from __future__ import annotations

from consortium.governance.contribution_models import ContributionKind, Disposition
from consortium.governance.models import ConsultationState, Eligibility, LifecycleStage, SeatRole, Sector

#: who drafts and who approves the demo's official responses
ANSWERERS = ("sofia@gobiernoabierto.example", "valentina@laboratoriocivico.example")
# (disposition, rationale, commitment, approved)
ACCEPTED = (
    Disposition.ACCEPTED,
    "",
    "A próxima versão do aplicativo mostrará apenas o primeiro nome do recebedor.",
    True,
)
PARTLY = (
    Disposition.PARTIALLY_ACCEPTED,
    "Estatísticas trimestrais exigem uma mudança de norma; as semestrais não.",
    "Publicar estatísticas semestrais do MED a partir de 2027.",
    True,
)
EVALUATING = (
    Disposition.UNDER_EVALUATION,
    "A confirmação por voz depende dos bancos; um estudo de viabilidade está em curso.",
    "",
    True,
)
DRAFTED = (Disposition.NOT_ACCEPTED, "O limite já é configurável no aplicativo de cada banco.", "", False)

PROPOSAL, COMMENT = ContributionKind.PROPOSAL, ContributionKind.COMMENT
OBJECTION, EVIDENCE = ContributionKind.OBJECTION, ContributionKind.EVIDENCE

SPACES = [
    {
        "slug": "pix-brasil",
        "system": "pix",
        "countries": ["BR"],
        "timezone": "America/Sao_Paulo",
        "languages": ["pt_BR", "es", "en"],
        "stage": LifecycleStage.L4,
        "title": {
            "pt_BR": "Espaço de governança do Pix",
            "es": "Espacio de gobernanza de Pix",
            "en": "Pix governance space",
        },
        "charter": {
            "pt_BR": "Governo, regulador, provedores e sociedade civil discutem as salvaguardas do Pix. "
            "Toda contribuição recebe uma resposta oficial fundamentada.",
            "en": "Government, regulator, providers and civil society discuss Pix's safeguards. "
            "Every contribution gets a reasoned official response.",
        },
        "seats": [
            ("andre@privacidade.example", "instituto-privacidade-sp", Sector.ADVOCATES, SeatRole.CONVENOR),
            ("joao@dadosrecife.example", "rede-dados-abertos-recife", Sector.ADVOCATES, SeatRole.MEMBER),
            ("mariana@dadosrecife.example", "rede-dados-abertos-recife", Sector.ACADEMIA, SeatRole.OBSERVER),
            # those who answer: a government focal point drafts, a regulator's seat approves
            (
                "sofia@gobiernoabierto.example",
                "observatorio-gobierno-abierto-mx",
                Sector.GOVERNMENT,
                SeatRole.FOCAL_POINT,
            ),
            (
                "valentina@laboratoriocivico.example",
                "laboratorio-civico-cl",
                Sector.REGULATOR,
                SeatRole.MEMBER,
            ),
        ],
        "consultations": [
            {
                "title": "Salvaguardas de proteção de dados no Pix",
                # its sections discuss the published Pix assessment, which it names as its source
                "source": "safeguards.assessment:",
                "state": ConsultationState.PUBLISHED,
                "days": (-60, -30, -15),
                "sections": [
                    ("Dados pessoais nas chaves Pix", "As chaves Pix expõem nome e parte do CPF ao pagador."),
                    ("Devolução em caso de fraude", "O Mecanismo Especial de Devolução (MED) e seus prazos."),
                ],
                "eligibility": Eligibility.VERIFIED_ORGANISATIONS,
                "contributions": [
                    (
                        "joao@dadosrecife.example",
                        0,
                        PROPOSAL,
                        "Mostrar apenas o primeiro nome do recebedor.",
                        ACCEPTED,
                    ),
                    (
                        "joao@dadosrecife.example",
                        1,
                        COMMENT,
                        "Publicar estatísticas trimestrais do MED.",
                        PARTLY,
                    ),
                ],
                # supports (person, contribution); co-signatures (person for their organisation, contribution)
                "supports": [
                    ("mariana@dadosrecife.example", 0),
                    ("andre@privacidade.example", 0),
                    ("andre@privacidade.example", 1),
                ],
                "cosigners": [("andre@privacidade.example", 0)],
            },
            {
                "title": "Acessibilidade do Pix Automático",
                "state": ConsultationState.RESPONDING,
                "days": (-40, -20, -5),
                "sections": [
                    ("Confirmação acessível", "Como confirmar um pagamento recorrente sem ler a tela."),
                    ("Limites e tarifas", "Limites diários e tarifas do Pix Automático."),
                ],
                "contributions": [
                    ("joao@dadosrecife.example", 0, PROPOSAL, "Oferecer confirmação por voz.", EVALUATING),
                    (
                        "andre@privacidade.example",
                        0,
                        COMMENT,
                        "Explicar as tarifas em linguagem simples.",
                        None,
                    ),
                    (
                        "joao@dadosrecife.example",
                        1,
                        PROPOSAL,
                        "Permitir um limite diário configurável.",
                        DRAFTED,
                    ),
                    (
                        "mariana@dadosrecife.example",
                        1,
                        OBJECTION,
                        "Os prazos do MED são curtos demais para quem não acompanha o extrato todo dia.",
                    ),
                    (
                        "joao@dadosrecife.example",
                        0,
                        EVIDENCE,
                        "O regulamento do Pix descreve os dados mostrados ao pagador.",
                        None,
                        "https://www.bcb.gov.br/estabilidadefinanceira/pix",
                    ),
                ],
            },
        ],
    },
    {
        "slug": "bre-b-colombia",
        "system": "bre-b",
        "countries": ["CO"],
        "timezone": "America/Bogota",
        "languages": ["es"],
        "stage": LifecycleStage.L3,
        "title": {"es": "Espacio de gobernanza de Bre-B", "en": "Bre-B governance space"},
        "charter": {
            "es": "Un espacio multiactor para acompañar el despliegue de Bre-B y sus salvaguardas.",
        },
        "seats": [
            (
                "camila@derechosandinos.example",
                "derechos-digitales-andinos",
                Sector.ADVOCATES,
                SeatRole.CONVENOR,
            ),
            (
                "diego@gobiernoabierto.example",
                "observatorio-gobierno-abierto-mx",
                Sector.ACADEMIA,
                SeatRole.MEMBER,
            ),
        ],
        "consultations": [
            {
                "title": "Inclusión y accesibilidad en Bre-B",
                "state": ConsultationState.OPEN,
                "eligibility": Eligibility.PUBLIC,
                "days": (-3, 30, 60),
                "sections": [
                    (
                        "Acceso sin teléfono inteligente",
                        "Cómo pagar y cobrar con Bre-B sin un teléfono inteligente.",
                    )
                ],
                "contributions": [
                    (
                        "diego@gobiernoabierto.example",
                        0,
                        PROPOSAL,
                        "Incluir pagos por USSD para teléfonos básicos.",
                    ),
                    (
                        "diego@gobiernoabierto.example",
                        0,
                        OBJECTION,
                        "El registro pide validar la identidad con la cámara de un teléfono inteligente.",
                    ),
                    (
                        "camila@derechosandinos.example",
                        0,
                        EVIDENCE,
                        "La encuesta de inclusión financiera cuenta los hogares sin teléfono inteligente.",
                        None,
                        "https://www.banrep.gov.co/",
                    ),
                    (
                        "camila@derechosandinos.example",
                        0,
                        COMMENT,
                        "¿Habrá instrucciones en lenguas indígenas?",
                    ),
                ],
                "supports": [("camila@derechosandinos.example", 0), ("diego@gobiernoabierto.example", 2)],
                "cosigners": [("camila@derechosandinos.example", 0)],
            }
        ],
    },
]
