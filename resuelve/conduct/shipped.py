"""The rules shipped for Spanish, English, Chinese and Estonian (data, not interface text).

Each rule: (kind, pattern, unless, suggestion). Patterns of es/en/et are regular expressions
matched without case or accents, so they are written in lower case without accents and with
word boundaries (\\b); Chinese patterns are substrings. "unless" excuses a sentence (a
negation, a softening, an alternative offered). A blame rule needs a named colleague or
department in the sentence, or a group (?P<who>...) in its own pattern. The promise rule
whose pattern is "<amount>" stands for the comparison of amounts with the approved solution.
The rules of kind no_apology / no_acknowledgement say what counts as an apology or an
acknowledgement: the note is raised when none of them matches the whole message.
"""

from __future__ import annotations

from resuelve.conduct.check import (
    AMOUNT,
    ARGUMENT,
    BLAME,
    DOUBT,
    NO_ACKNOWLEDGEMENT,
    NO_APOLOGY,
    PROMISE,
    REFUSAL,
    Rule,
)

ShippedRule = tuple[str, str, str, str]

_ES_SOFT = (
    r"\b(pero|sin embargo|en cambio|aunque|lo que si|le ofrecemos|le proponemos|podemos "
    r"ofrecerle|como alternativa|mientras tanto|en su lugar|por eso le|a cambio)\b|\bno dude\b"
    r"|\bno se preocupe\b|\bsi no (es posible|puede|le es posible)\b"
)
_ES_OFFER = (
    r"^(?!.*\b(devolv|devolucion|reembols|reintegr|abon|compens|bonific|descuento|credito|"
    r"bono|pagaremos|le pagamos|le damos|le daremos|le ofrecemos|recibira|consign|transfer|"
    r"le reconocemos|reconoceremos|asumimos|cubrimos|cubriremos))"
)
ES: list[ShippedRule] = [
    (
        REFUSAL,
        r"\bno (lo |la |los |las |le |les )?(podemos|puedo)\b|"
        r"\bno (podemos|puedo|se puede|es posible|hay manera|hay forma|aceptamos|respondemos|"
        r"nos hacemos|procede|vamos a)\b|\b(es|resulta) imposible\b|\bimposible\b",
        _ES_SOFT,
        "En este momento eso no está a nuestro alcance, pero le proponemos lo siguiente: …",
    ),
    (
        REFUSAL,
        r"\bno (lo )?se (que|cuando|como|donde|si|nada|decirle|quien)\b|\bno (lo )?se\s*[.,!]"
        r"|\bni idea\b|\bdesconozco\b|\bno tengo (ni )?idea\b",
        _ES_SOFT + r"|\bvoy a averiguar|\blo averiguo|\bvamos a averiguar|\bconsultar",
        "Voy a averiguarlo con el área encargada y le doy respuesta antes del …",
    ),
    (
        REFUSAL,
        r"\bno (nos )?corresponde\b|\bno es (nuestro problema|nuestra responsabilidad|asunto "
        r"nuestro|problema nuestro)\b|\bno tenemos nada (que|mas que) (hacer|ofrecer)\b|\bla "
        r"respuesta es no\b|^no[.,!]",
        _ES_SOFT,
        "Nos encargamos de orientarle: le explicamos quién puede ayudarle y le acompañamos.",
    ),
    (
        ARGUMENT,
        r"\busted (esta equivocad[oa]|se equivoca|no entiende|no entendio|no leyo|no lee)\b"
        r"|\b(ya|como ya) (se )?le (dijimos|explicamos|habiamos dicho|indicamos|repetimos|hemos "
        r"dicho|hemos explicado)\b|\ble (repito|reitero)\b|\bpor (enesima|ultima|tercera) vez\b"
        r"|\busted no sabe\b|\bdeje de (quejarse|reclamar)\b|\busted (firmo|acepto) (el contrato|"
        r"las condiciones)\b",
        "",
        "Permítame explicarle de nuevo, con gusto, cómo funciona …",
    ),
    (
        ARGUMENT,
        r"\b(la culpa es suya|es culpa suya|fue culpa suya|por su culpa|usted (tiene|tuvo) la "
        r"culpa|usted (causo|provoco|ocasiono))\b|\b(mal uso|uso indebido|descuido suyo|"
        r"negligencia suya)\b|\busted debio\b|\bsi usted hubiera\b|\bdeberia haber (leido|"
        r"revisado|llamado)\b|\blea (bien|con atencion|otra vez)\b",
        r"\bno (fue|es) culpa suya\b|\bno es su culpa\b",
        "Revisemos juntos qué pasó para encontrar la mejor solución.",
    ),
    (
        ARGUMENT,
        r"\b(eso|esto) no es asi\b|\busted no tiene (ninguna )?razon\b|\bno tiene (ningun )?"
        r"(sentido|motivo) (que )?(reclamar|quejarse)\b|\b(obviamente|claramente|es evidente que)"
        r" usted\b",
        "",
        "Entiendo su punto de vista; le explico lo que encontramos en la revisión.",
    ),
    (
        DOUBT,
        r"\busted (nos )?(miente|esta mintiendo|invento|exagera|esta exagerando)\b|\bno (le )?"
        r"creemos\b|\bno le creo\b|\bdudamos (de|que)\b|\bdudo (mucho )?que\b|\b(es|eso es) "
        r"(mentira|falso)\b|\bno es (cierto|verdad)\b|\binvent(a|o|ando|ado|ada)\b|\bno creemos "
        r"(en )?(su|lo que)\b|\bdificil de creer\b",
        r"\bno (le )?dud(amos|o)\b|\bsin duda\b|\bsi no es (cierto|verdad)\b",
        "Tomamos su relato como punto de partida; para avanzar nos ayudaría …",
    ),
    (
        DOUBT,
        r"\bsupuest[oa]s? (falla|dano|golpe|problema|defecto|ruido|cobro|demora|rayon|fuga)|"
        r"\bsupuestamente\b|\b(tendra|tiene|debe) que (demostrar|probar)\b|\bdemuestre\b|"
        r"\bsospechamos\b|\b(intenta|pretende|quiere) (aprovecharse|enganarnos|sacar provecho)\b",
        "",
        "Para tramitarlo más rápido, ¿nos podría enviar una foto o la factura?",
    ),
    (
        BLAME,
        r"\b(fue|es) (culpa|un error|error) (de|del)\b|\bpor (culpa|error|descuido|negligencia) "
        r"(de|del)\b|\bse (equivoco|equivocaron|confundio|le olvido|les olvido|olvido)\b|\bla "
        r"embarro\b|\b(el )?(error|culpa) (fue|es) (de|del)\b|\bmetio la pata\b|\bno hizo (bien )?su trabajo\b|\bno reviso\b|\bno (nos )?"
        r"aviso\b|\b(es|fue) (el|la) (culpable|responsable)\b|\b(rompio|averio|perdio|extravio|"
        r"rayo)\b|\bdano (la|el|su|los|las)\b",
        r"\bno (fue|es) culpa de (nadie|usted)\b",
        "Lamentamos el error; en la empresa lo estamos corrigiendo.",
    ),
    (
        BLAME,
        r"(?P<who>\b(mi|nuestro|nuestra|el|la) (companer[oa]|colega|tecnic[oa]|mecanic[oa]|"
        r"asesora?|vendedora?|conductora?|operari[oa]|empleada?|funcionari[oa]|cajer[oa]|"
        r"bodeguer[oa]|jefe de taller)) (se equivoco|se confundio|la embarro|metio la pata|no "
        r"hizo|se le olvido|se olvido|no reviso|no aviso|descuido|fallo|cometio (un|el) error|"
        r"tuvo la culpa)\b|\bculpa (de|del) (?P<who2>(nuestro |nuestra |mi |el |la )?"
        r"(companer|colega|tecnic|mecanic|asesor|vendedor|conductor|operari|empleado|"
        r"funcionari|bodeguer))",
        "",
        "Lamentamos el error; en la empresa lo estamos corrigiendo.",
    ),
    (
        PROMISE,
        r"\ble (garantizamos|prometemos|garantizo|prometo)\b|\b(garantizado|sin falta|con toda "
        r"seguridad)\b|\b100 ?%|\bnunca (mas )?(volvera|le volvera) a (pasar|ocurrir)\b|\bno "
        r"volvera a (pasar|ocurrir|suceder)\b|\b(devolveremos|reembolsaremos|reintegraremos|"
        r"pagaremos|cambiaremos) (todo|el total|la totalidad|el dinero|su dinero|el valor)\b|"
        r"\b(hoy|manana) mismo (le )?(tendra|estara|entregamos|llega)\b|\bun (carro|vehiculo) "
        r"nuevo\b|\b(le )?aseguramos (el|la|un|una) (reembolso|devolucion|cambio)|\b(reembolso|"
        r"devolucion) total\b",
        r"\b(no|sin) (le )?(podemos )?(garantizar|prometer)\b|\bsujeto a\b|\buna vez "
        r"(aprobad|autorizad)|\b(garantizamos|prometemos) (que )?(le )?(revis|atend|dar "
        r"seguimiento|mantener|inform|llamar|estudi)",
        "Le confirmaremos la solución en cuanto esté aprobada; mientras tanto le mantenemos "
        "informado.",
    ),
    (
        PROMISE,
        AMOUNT,
        _ES_OFFER,
        "Le confirmamos el valor aprobado para su caso: …",
    ),
    (
        NO_APOLOGY,
        r"\b(disculp|perdon|lament|sentimos|lo siento|excusas|que pena|apenad)",
        "",
        "Lamentamos sinceramente las molestias que esto le ha causado.",
    ),
    (
        NO_ACKNOWLEDGEMENT,
        r"\b(gracias|agradec|entend|comprend|nos cuenta|nos comenta|nos informa|nos indica|nos "
        r"escribe|usted (nos )?(menciona|describe|relata|senala|indica|comenta)|segun (nos )?"
        r"(cuenta|indica|describe)|hemos recibido|recibimos su|tenemos claro|tomamos nota|su "
        r"(mensaje|reclamo|queja|comentario|solicitud) (sobre|acerca|del|de la)|imaginamos|"
        r"sabemos lo)",
        "",
        "Gracias por contarnos lo que pasó con …; entendemos lo molesto que es.",
    ),
]

_EN_SOFT = (
    r"\b(but|however|instead|what we can|we can offer|we'd like to offer|we would like to "
    r"offer|alternatively|in the meantime|meanwhile|in exchange|so we)\b|\bcan'?t wait\b|"
    r"\bcannot wait\b|\b(don'?t|do not|not) hesitate\b|\bthank you enough\b|"
    r"\bapologi[sz]e enough\b"
)
EN: list[ShippedRule] = [
    (
        REFUSAL,
        r"\b(we|i) (can ?not|can'?t|won'?t|will not|are unable to|am unable to|are not able to|"
        r"refuse to|do not accept|don'?t accept|do not offer|don'?t do)\b|\b(that|this|it)('s| is)"
        r" (not possible|impossible)\b|\bimpossible\b|\bnot possible\b|\bnot something (we|i) "
        r"(do|offer|can)\b",
        _EN_SOFT,
        "That is not within our reach right now, but here is what we can do: …",
    ),
    (
        REFUSAL,
        r"\bi (don'?t|do not) know\b|\bno idea\b|\bwe (don'?t|do not) know\b",
        _EN_SOFT + r"|\b(yet|find out|check with|look into|ask)\b",
        "I will find out from the team and get back to you by …",
    ),
    (
        REFUSAL,
        r"\b(not|isn'?t|is not) (our|my) (problem|responsibility|concern)\b|\bnothing (more )?(we|i)"
        r" can do\b|\bnothing (more )?to (do|offer)\b|\bthe answer is no\b|^no[.,!]",
        _EN_SOFT,
        "Let us point you to who can help, and we will stay with you until it is solved.",
    ),
    (
        ARGUMENT,
        r"\byou('re| are) (wrong|mistaken|confused)\b|\bas (we|i) (already |have already )?"
        r"(told|explained to|informed|said to) you\b|\bwe (already|have already) (told|explained)"
        r"\b|\bi repeat\b|\bfor the (last|third|hundredth|umpteenth) time\b|\byou (clearly |"
        r"obviously )?(did not|didn'?t) (read|understand|follow|check)\b|\bstop complaining\b|"
        r"\b(i|we)('ve| have) (already )?(explained|told you)\b.{0,25}\b(twice|three times|"
        r"several times|many times|already)\b",
        "",
        "Let me explain again, gladly, how … works.",
    ),
    (
        ARGUMENT,
        r"\b(it|this) (is|was) your (own )?fault\b|\byou (caused|broke|damaged)\b|\byou should "
        r"have\b|\bif you had (read|checked|followed|called)\b|\b(misuse|improper use|your (own )?"
        r"negligence)\b|\bread the (contract|manual|terms) (again|carefully|properly)\b",
        r"\bnot your fault\b|\bwasn'?t your fault\b",
        "Let's look together at what happened so we can find the best solution.",
    ),
    (
        ARGUMENT,
        r"\bthat('s| is) not (how it works|what happened|the case)\b|\byou have no (reason|right|"
        r"grounds)\b|\b(obviously|clearly) you\b",
        "",
        "I understand your point of view; here is what our inspection found.",
    ),
    (
        DOUBT,
        r"\byou('re| are) (lying|exaggerating|making (this|it) up)\b|\byou lie\b|\b(we|i) (don'?t"
        r"|do not) believe (you|that|this|your|the|it|what|there)\b|\b(we|i) doubt\b|\b(that|this|it)('s| is) "
        r"(not true|a lie|untrue|false)\b|\bnot true\b",
        r"\b(we|i) (don'?t|do not|never) doubt\b|\bno doubt\b|\bwithout (a )?doubt\b",
        "We take your account as our starting point; to move faster it would help to have …",
    ),
    (
        DOUBT,
        r"\b(supposedly|allegedly|so-called|alleged)\b|\b(you )?(will )?(have|need) to prove\b|"
        r"\bprove (that|it)\b|\bwe suspect\b|\bhard to believe\b|\bmade (that|this|it) up\b|\b(taking|take) advantage\b|\btrying to (cheat|scam)"
        r"\b",
        "",
        "To handle this quickly, could you send us a photo or the invoice?",
    ),
    (
        BLAME,
        r"\b(fault|mistake|error) (of|by)\b|\b(his|her|their) (fault|mistake)\b|\bmessed up\b|"
        r"\bscrewed up\b|\bdropped the ball\b|\bmade (a|the|an) (mistake|error)\b|\bforgot to\b|"
        r"\bfailed to\b|\b\w+'s (fault|mistake|error)\b|\bdid(n'?t| not) do (his|her|their) job\b|\bis to blame\b|\bwas to "
        r"blame\b|\bblame (lies )?(with|on)\b|\bgot it wrong\b|\b(broke|damaged|lost|scratched|"
        r"dented)\b",
        r"\bnobody'?s fault\b|\bno one'?s fault\b",
        "We are sorry for the mistake; we are putting it right as a company.",
    ),
    (
        BLAME,
        r"(?P<who>\b(my|our|the|a) (colleague|coworker|co-worker|technician|mechanic|advisor|"
        r"adviser|salesman|salesperson|sales rep|driver|clerk|cashier|employee|staff member)) "
        r"(messed up|screwed up|made a mistake|made an error|forgot|failed|didn'?t|did not|is to"
        r" blame|was to blame|got it wrong|dropped the ball)\b",
        "",
        "We are sorry for the mistake; we are putting it right as a company.",
    ),
    (
        PROMISE,
        r"\b(we|i) (guarantee|promise)\b|\bguaranteed\b|\b100 ?%|\bwithout fail\b|\bnever happen"
        r" again\b|\bwon'?t (ever )?happen again\b|\b(full|complete|total) refund\b|\brefund "
        r"(you )?(the )?(full|entire|whole|everything)\b|\bbrand[- ]new (car|vehicle)\b",
        r"\b(cannot|can'?t|not|unable to) (guarantee|promise)\b|\bonce (it is |it'?s )?approved"
        r"\b|\bsubject to\b|\b(we|i) promise to (keep|review|look|call|update|inform|get back)\b",
        "We will confirm the solution as soon as it is approved; until then we will keep you "
        "informed.",
    ),
    (
        PROMISE,
        AMOUNT,
        r"^(?!.*\b(refund|reimburs|credit|compensat|discount|voucher|pay you|we will pay|we'll "
        r"pay|you will receive|you'll receive|we will give|we'll give|we offer|we can offer|"
        r"goodwill|transfer|cover))",
        "We confirm the approved amount for your case: …",
    ),
    (
        NO_APOLOGY,
        r"\b(sorry|apologi[sz]e|apologies|apology|regret)",
        "",
        "We are truly sorry for the trouble this has caused you.",
    ),
    (
        NO_ACKNOWLEDGEMENT,
        r"\b(thank you|thanks|we understand|i understand|you (told|wrote|mentioned|described|"
        r"explained|say|said|reported)|as you (describe|mention|say|explain)|(we|i) (have )?"
        r"received your|we note|i note|we hear you|(we|i) can imagine|(we|i) appreciate|"
        r"understandabl)",
        "",
        "Thank you for telling us what happened with …; we understand how annoying it is.",
    ),
]

_ET_SOFT = (
    r"\b(kuid|aga|samas|selle asemel|seevastu|pakume|saame pakkuda|vahepeal|alternatiivina|"
    r"see-eest)\b|\b(ei saa|ei suuda) (oodata|ara oodata|kyllalt|kullalt|piisavalt tanada)\b"
)
ET: list[ShippedRule] = [
    (
        REFUSAL,
        r"\bei (saa|saame|voi|voimalda|suuda|suudame|vota|voeta|aktsepteeri|huvita|huvitame)\b|"
        r"\b(ei ole|pole) voimalik\b|\bvoimatu\b|\bkeeldume\b",
        _ET_SOFT + r"|\bei saa (aru|kinnitada, et te)\b|\bei (vota|voeta) (kaua |palju )?aega\b",
        "Praegu see meie võimuses ei ole, kuid saame pakkuda järgmist: …",
    ),
    (
        REFUSAL,
        r"\b(ma|me) ei tea\b|\bei tea(,| midagi| kuidas| millal| mida)\b|\bpole aimugi\b",
        _ET_SOFT + r"|\b(veel|uurin|uurime|selgitan valja|selgitame valja|kusin|kusime)\b",
        "Uurin selle kolleegidelt välja ja annan teile vastuse hiljemalt …",
    ),
    (
        REFUSAL,
        r"\b(ei ole|pole) meie (probleem|mure|vastutus|asi)\b|\bmeil (ei ole|pole) (midagi|"
        r"rohkem midagi|midagi rohkem) (teha|pakkuda)\b|\bmidagi (ei saa|pole) teha\b|\bvastus on ei\b|^ei[.,!]",
        _ET_SOFT,
        "Aitame teil leida, kes saab aidata, ja oleme toeks, kuni asi on lahendatud.",
    ),
    (
        ARGUMENT,
        r"\b(te|sa) (eksite|eksid|olete eksinud|ei saa aru|ei saanud aru|ei lugenud)\b|\b(nagu )?"
        r"(me )?juba (utlesime|selgitasime|teatasime|raakisime)\b|\b(utlesime|selgitasime) "
        r"(teile )?juba\b|\bkorduvalt (oelnud|selgitanud|utlenud)\b|\bkordan veel\b|"
        r"\bviimast korda\b",
        "",
        "Lubage mul veel kord rahulikult selgitada, kuidas … toimib.",
    ),
    (
        ARGUMENT,
        r"\b(on|oli) teie (enda )?(suu|viga)\b|\bteie (enda )?(suu|suul|hooletus)\b|\boleksite "
        r"pidanud\b|\bkui te oleksite\b|\b(vaar|vale)kasutus|\bvaara kasutamise|\blugege "
        r"(hoolikalt|uuesti|veel kord)\b|\bteil (ei ole|pole) (pohjust|oigust|alust)\b|\bnii see "
        r"(ei ole|pole)\b|\bilmselgelt te\b",
        r"\b(ei ole|pole|ei olnud) teie (suu|viga)\b",
        "Vaatame koos üle, mis juhtus, et leida parim lahendus.",
    ),
    (
        DOUBT,
        r"\b(te|sa) (valetate|valetad|liialdate|liialdad)\b|\bvalet\b|\b(me|ma) ei usu\b|\b(me )?kahtleme\b|\b(ma )?kahtlen\b|\b(ei ole|pole) (tosi|oige)\b",
        r"\b(ei kahtle|kahtlemata|pole kahtlust|kahtluseta)\b",
        "Võtame teie kirjelduse aluseks; asja kiirendaks, kui saadaksite …",
    ),
    (
        DOUBT,
        r"\bvaidetava\w*|\b(niinimetatud|nn)\b|\btoestage\b|\bpeate (toestama|toendama)\b|"
        r"\bkahtlustame\b|\b(soovite|tahate) (meid )?petta\b|\bkasu loikama\b",
        "",
        "Et asi kiiremini liiguks, kas saaksite saata foto või arve?",
    ),
    (
        BLAME,
        r"\bsuu(l|d)?\b|\b(eksis|eksisid|unustas|unustasid|tegi vea|tegid vea|ajas segi|ajasid "
        r"segi|ei teinud oma tood|ei kontrollinud|ei teatanud|jattis tegemata|magas maha|"
        r"kaotas)\b|\btegid? .{0,30}\bvea\b|\b(tema|nende) (viga|eksimus)\b",
        r"\b(pole|ei ole|ei olnud) (kellegi|teie) suu\b",
        "Vabandame vea pärast; ettevõttena parandame selle.",
    ),
    (
        BLAME,
        r"(?P<who>\b(minu|meie) (kolleeg|mehaanik|tehnik|muuja|noustaja|autojuht|tootaja|"
        r"laotootaja)\w*)\b.{0,40}?\b(eksis|unustas|vea|ajas segi|ei teinud|lohkus|ei "
        r"kontrollinud|kaotas|magas maha|on suudi|oli suudi)\b",
        "",
        "Vabandame vea pärast; ettevõttena parandame selle.",
    ),
    (
        PROMISE,
        r"\b(garanteerime|garanteerin|lubame|luban|tagame)\b|\b100 ?%|\bkindlasti homme\b|"
        r"\bhomme kindlasti\b|\bei kordu (enam )?(kunagi|iial)\b|\bkunagi enam ei (juhtu|kordu)"
        r"\b|\bei juhtu enam kunagi\b|\b(kogu|terve) (summa|raha) tagasi\b|\btaiesti uue "
        r"(auto|soiduki)\b",
        r"\b(ei saa|ei voi) (garanteerida|lubada|tagada)\b|\bparast (kinnitamist|heakskiitu)\b|"
        r"\b(lubame|tagame|luban)\b.{0,30}\b(hoida|teavita|ule vaada|uuri|helista|vastu|anda "
        r"teada|kursis|juhtum)",
        "Kinnitame lahenduse niipea, kui see on heaks kiidetud; seni hoiame teid kursis.",
    ),
    (
        PROMISE,
        AMOUNT,
        r"^(?!.*\b(tagasi|huvit|kompens|allahindlus|soodust|krediit|kinkekaart|maksame|kanname|"
        r"saate|pakume|tagastame|katame))",
        "Kinnitame teie juhtumi jaoks heaks kiidetud summa: …",
    ),
    (
        NO_APOLOGY,
        r"\b(vaband|kahetse|(mul|meil) on (vaga |vaga-vaga )?kahju|andestust)",
        "",
        "Vabandame siiralt ebamugavuste pärast, mida see teile põhjustas.",
    ),
    (
        NO_ACKNOWLEDGEMENT,
        r"\b(aitah|tanan|taname|tanu|moistame|moistan|saame aru|saan aru|kirjeldasite|"
        r"kirjutasite|mainisite|teatasite|nagu te (kirjeldate|kirjutate)|saime teie|oleme saanud|"
        r"votsime teadmiseks|kujutame ette|kujutan ette)",
        "",
        "Aitäh, et andsite teada, mis juhtus …; saame aru, kui tüütu see on.",
    ),
]

_ZH_SOFT = (
    r"但|不过|可以为您|我们可以|建议您|另外|同时为您|为您提供|作为替代|不要犹豫|随时|迫不及待|"
    r"等不及|如有不清楚|不胜感激"
)
ZH: list[ShippedRule] = [
    (
        REFUSAL,
        r"不可能|不行|办不到|做不到|没办法|没有办法|无能为力|我们不能|我们无法|无法(办理|处理|退|换|"
        r"赔|满足)|不予(受理|退款|赔偿|处理)|拒绝(退|换|赔|受理)|不接受",
        _ZH_SOFT,
        "这一点目前我们暂时无法直接办理，不过我们可以为您提供以下方案：……",
    ),
    (
        REFUSAL,
        r"我不知道|我们不知道|不清楚|不晓得",
        _ZH_SOFT + r"|核实|确认后|了解后|查询|尽快",
        "我会向相关同事核实，并在……之前给您答复。",
    ),
    (
        REFUSAL,
        r"不归我们管|不是我们的问题|不关我们的事|不是我们的责任|与我们无关|跟我们没关系",
        _ZH_SOFT,
        "我们会帮您联系能处理此事的部门，并一直跟进到问题解决。",
    ),
    (
        ARGUMENT,
        r"您(搞|弄)错了|您错了|您理解错了|(早就|已经)(跟|和|告诉)您(说|讲)过|我们已经(说|讲|解释)过"
        r"(很多|多|好几)次|再说一遍|说了多少(次|遍)|我再重复一遍",
        "",
        "请允许我再为您详细说明一下……的情况。",
    ),
    (
        ARGUMENT,
        r"是您(自己)?的(问题|错|责任)|您自己的(问题|原因|责任)|您应该(早点|先|自己)|如果您当初|"
        r"您没有(仔细)?(看|阅读)|使用不当|操作不当|人为损坏|这不是事实|根本不是这样|事实并非如此|"
        r"您没有理由",
        r"不是您的(问题|错|责任)",
        "我们一起看看发生了什么，以便找到最好的解决办法。",
    ),
    (
        DOUBT,
        r"您(在)?(撒谎|说谎|骗人|欺骗|夸大|编造)|不相信您|我们不信|怀疑您|怀疑这|不是真的|不是实话",
        r"我们不怀疑|毫不怀疑|(?<!不)相信您|并不是怀疑",
        "我们以您的描述为准；为了加快处理，请您提供……",
    ),
    (
        DOUBT,
        r"所谓的|据称|声称|您得证明|请您证明|拿出证据|占便宜|骗(保|钱|赔)",
        "",
        "为了尽快处理，能否请您发一张照片或发票给我们？",
    ),
    (
        BLAME,
        r"的(错|责任|失误|过错|疏忽)|弄错|搞错|忘了|忘记|失误|疏忽|没(有)?做好|没(有)?检查|犯了错|"
        r"出错|搞砸",
        r"不是(任何人|您)的(错|责任)",
        "对于这个错误我们深表歉意，公司正在纠正。",
    ),
    (
        BLAME,
        r"(?P<who>(我们的|我的)?(同事|技师|技术员|师傅|销售员|销售顾问|司机|仓库|店员))[^，。！？]{0,8}(的(错|失误|"
        r"疏忽|责任)|弄错|搞错|忘了|忘记|犯了错|出错|搞砸|没(有)?(做好|检查|通知))",
        "",
        "对于这个错误我们深表歉意，公司正在纠正。",
    ),
    (
        PROMISE,
        r"保证|担保|绝对(不会|没问题)|百分之百|100%|一定(会)?(全额|全部)|全额退款|全部退还|再也不会|"
        r"绝不会再|永远不会再|明天(一定|肯定)|肯定(能|会)(修好|到)|一辆新车",
        r"无法保证|不能保证|不敢保证|保证.{0,6}(跟进|处理|调查|回复|联系|通知)|经(批准|审批)后|"
        r"审批通过后",
        "方案一经批准我们会立即向您确认，在此之前我们会随时告知进展。",
    ),
    (
        PROMISE,
        AMOUNT,
        r"^(?!.*(退|赔|补偿|返还|优惠|折扣|代金券|抵用|积分|给您|为您提供|支付给您|转账))",
        "我们向您确认本案已批准的金额：……",
    ),
    (
        NO_APOLOGY,
        r"抱歉|对不起|道歉|歉意|不好意思|深表遗憾|致歉",
        "",
        "对于给您带来的不便，我们深表歉意。",
    ),
    (
        NO_ACKNOWLEDGEMENT,
        r"感谢|谢谢|理解|明白您|您(提到|反映|说|描述|所说|来信|反馈)|收到您|了解到|我们注意到|"
        r"您的(来信|反馈|投诉|意见)",
        "",
        "感谢您告诉我们……的情况，我们理解这给您带来的困扰。",
    ),
]

SHIPPED: dict[str, list[ShippedRule]] = {"es": ES, "en": EN, "zh-hans": ZH, "et": ET}


def shipped_rules() -> list[Rule]:
    """The shipped rules as check rules (for tests and the benchmark, without a database)."""
    return [
        Rule(language=language, kind=kind, pattern=pattern, unless=unless, suggestion=s, order=i)
        for language, rows in SHIPPED.items()
        for i, (kind, pattern, unless, s) in enumerate(rows)
    ]
