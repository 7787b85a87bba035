"""The demo company: Autoandes, a car dealer with branches in Colombia, Peru, Estonia and
China, whose customers write in Spanish, English, Chinese and Estonian. Data only."""

from __future__ import annotations

DEMO_PASSWORD = "resuelve-demo"

DEPARTMENTS = [
    # code, name, head username, duties
    (
        "atencion",
        "Atención al cliente",
        "sofia",
        "Front line: registers, acknowledges and routes every case; solves routine ones on the spot.",
    ),
    ("taller", "Taller y posventa", "carlos", "Repairs, maintenance, spare parts and accessories."),
    ("ventas", "Ventas", "paula", "Sales advice, test drives, orders."),
    ("logistica", "Transporte y logística", "jorge", "Vehicle transport and delivery."),
    ("calidad", "Gestión de calidad", "lucia", "Vehicle and part defects, warranty, suppliers."),
    ("direccion", "Dirección general", "elena", "Contract and financing disputes; escalations."),
]

CATEGORIES = [
    # code, name, default department
    ("defecto-vehiculo", "Defecto de calidad del vehículo", "calidad"),
    ("garantia", "Garantía", "calidad"),
    ("taller", "Reparación y mantenimiento", "taller"),
    ("repuestos", "Repuestos y accesorios", "taller"),
    ("entrega", "Entrega y transporte", "logistica"),
    ("contrato", "Contrato, financiación y facturación", "direccion"),
    ("atencion", "Trato y atención del personal", "atencion"),
    ("ventas", "Asesoría comercial", "ventas"),
    ("sugerencias", "Sugerencias y felicitaciones", "atencion"),
]

USERS = [
    # username, first name, last name, role, departments, language
    ("admin", "Admin", "Autoandes", "admin", [], "es"),
    ("ana", "Ana", "Gómez", "agent", ["atencion"], "es"),
    ("wei", "Wei", "Wang", "agent", ["atencion"], "zh-hans"),
    ("kadri", "Kadri", "Tamm", "agent", ["atencion"], "et"),
    ("carlos", "Carlos", "Ruiz", "handler", ["taller"], "es"),
    ("mart", "Mart", "Kask", "handler", ["taller"], "et"),
    ("lucia", "Lucía", "Martínez", "handler", ["calidad"], "es"),
    ("jorge", "Jorge", "Pérez", "handler", ["logistica"], "es"),
    ("paula", "Paula", "Rojas", "handler", ["ventas"], "es"),
    ("sofia", "Sofía", "Herrera", "supervisor", ["atencion", "calidad", "taller"], "es"),
    ("diego", "Diego", "Castro", "supervisor", ["logistica", "ventas"], "en"),
    ("elena", "Elena", "Vargas", "manager", ["direccion"], "es"),
    ("auditor", "Auditoría", "Interna", "auditor", [], "es"),
]

# Routing rules following the seeds (C3, C6): (name, position, stop, categories, text,
# department, assignee, severity, confidential). Categories not named fall to their default
# department.
ROUTING_RULES = [
    (
        "Salud y seguridad: crítico, con un superior al tanto (C6)",
        10,
        False,
        [],
        "accidente\nherido\nlesión\nincendio\nhumo\nse quedó sin frenos\naccident\ninjur\n"
        "fire\nsmoke\n事故\n受伤\n起火\n冒烟\nõnnetus\nvigastus\ntulekahju\nsuits",
        None,
        None,
        "critical",
        True,
    ),
    (
        "Disputas de contrato a la dirección general",
        20,
        True,
        ["contrato"],
        "",
        "direccion",
        "elena",
        "",
        None,
    ),
    ("Problemas de transporte a logística", 30, True, ["entrega"], "", "logistica", None, "", None),
    (
        "Problemas de calidad a gestión de calidad",
        40,
        True,
        ["defecto-vehiculo", "garantia"],
        "",
        "calidad",
        None,
        "",
        None,
    ),
    (
        "Problemas de atención a la supervisora de servicio",
        50,
        True,
        ["atencion"],
        "",
        "atencion",
        "sofia",
        "",
        None,
    ),
]

# Who takes automatic assignments: username -> (capacity, languages, skills).
AGENT_PROFILES = {
    "ana": (30, ["es"], []),
    "wei": (30, ["zh-hans", "en"], []),
    "kadri": (30, ["et", "en"], []),
    "carlos": (25, ["es", "en"], ["taller", "repuestos"]),
    "mart": (25, ["et", "en"], ["taller", "repuestos"]),
    "lucia": (25, [], []),
    "jorge": (25, [], []),
    "paula": (25, [], []),
}

REGIONS = {
    "Colombia": [
        ("Bogotá Norte", "Bogotá"),
        ("Medellín El Poblado", "Medellín"),
        ("Cali Sur", "Cali"),
    ],
    "Perú": [("Lima Miraflores", "Lima")],
    "Eesti": [("Tallinn Ülemiste", "Tallinn")],
    "中国": [("上海浦东", "上海")],
}

SUPPLIERS = [
    "Motores del Pacífico S.A.",
    "Frenos Hanseatic OÜ",
    "Shenzhen PowerCell Co.",
    "Tallinna Rehvid AS",
    "Logística Andina SAS",
]

PRODUCTS = [
    # sku, name, supplier index, is service, typical price
    ("AA-SEDAN-16", "Sedán Andes 1.6", 0, False, 78_000_000),
    ("AA-SUV-20", "SUV Cordillera 2.0", 0, False, 125_000_000),
    ("AA-PICKUP-4X4", "Pickup Llanero 4x4", 0, False, 142_000_000),
    ("AA-EV-COLIBRI", "Eléctrico Colibrí", 2, False, 160_000_000),
    ("P-BRAKE-PADS", "Pastillas de freno", 1, False, 380_000),
    ("P-BATTERY-60", "Batería 60 Ah", 2, False, 520_000),
    ("P-TIRE-205", "Llanta 205/55 R16", 3, False, 410_000),
    ("S-SERVICE-20K", "Mantenimiento 20.000 km", None, True, 950_000),
    ("S-DELIVERY", "Transporte a domicilio", 4, True, 1_200_000),
]

FIRST_NAMES = {
    "es": [
        "Andrés",
        "Camila",
        "Juan",
        "Valentina",
        "Luis",
        "María",
        "Santiago",
        "Daniela",
        "Felipe",
        "Laura",
        "Mateo",
        "Isabella",
    ],
    "en": ["James", "Emily", "Michael", "Sarah", "David", "Emma", "Robert", "Olivia"],
    "zh-hans": ["伟", "娜", "敏", "洋", "静", "磊", "霞", "强", "杰", "芳", "明", "丽"],
    "et": ["Mari", "Jaan", "Kati", "Andres", "Liis", "Toomas", "Kristi", "Peeter", "Triin"],
}
LAST_NAMES = {
    "es": [
        "García",
        "Rodríguez",
        "López",
        "Martínez",
        "Hernández",
        "Torres",
        "Ramírez",
        "Castro",
        "Vargas",
        "Moreno",
        "Quispe",
        "Mendoza",
    ],
    "en": ["Brown", "Taylor", "Wilson", "Clark", "Walker", "Hughes", "Evans"],
    "zh-hans": ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"],
    "et": ["Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn"],
}
LANGUAGE_WEIGHTS = [("es", 50), ("en", 15), ("zh-hans", 20), ("et", 15)]
LANGUAGE_BRANCHES = {
    "es": ["Bogotá Norte", "Medellín El Poblado", "Cali Sur", "Lima Miraflores"],
    "en": ["Bogotá Norte", "Lima Miraflores", "Tallinn Ülemiste"],
    "zh-hans": ["上海浦东"],
    "et": ["Tallinn Ülemiste"],
}

# What customers write, per category and language: (subject, description, what they ask).
# {product} is replaced by the product's name.
TEXTS: dict[str, dict[str, list[tuple[str, str, str]]]] = {
    "defecto-vehiculo": {
        "es": [
            (
                "Ruido en la suspensión delantera",
                "Desde la entrega de mi {product} se escucha un golpeteo en la suspensión delantera "
                "al pasar por resaltos. Ya lo reporté por teléfono y nadie me llamó.",
                "Revisión y reparación sin costo",
            ),
            (
                "El tablero se apaga mientras conduzco",
                "El tablero de mi {product} se apaga de repente en carretera. Es peligroso y tengo miedo "
                "de usar el carro con mis hijos.",
                "Cambio de la pieza defectuosa y un carro de reemplazo",
            ),
        ],
        "en": [
            (
                "Engine warning light keeps coming on",
                "The engine light on my {product} comes on every morning. The car is three months old.",
                "Find the fault and fix it under warranty",
            )
        ],
        "zh-hans": [
            (
                "新车空调不制冷",
                "我的{product}提车才两个月，空调就不制冷了。夏天开车非常难受。",
                "免费维修空调",
            )
        ],
        "et": [
            (
                "Uue auto esituled vilguvad",
                "Minu {product} esituled hakkavad sõidu ajal vilkuma. Auto on alles neli kuud vana.",
                "Palun parandage rike garantii korras",
            )
        ],
    },
    "garantia": {
        "es": [
            (
                "Me niegan la garantía de la caja de cambios",
                "La caja de cambios de mi {product} falló a los 8 meses y en el taller dicen que la "
                "garantía no la cubre, sin darme ninguna explicación por escrito.",
                "Reparación bajo garantía",
            )
        ],
        "en": [
            (
                "Warranty claim rejected without reason",
                "My {product} battery died after 10 months and the warranty claim was rejected.",
                "Replace the battery under warranty",
            )
        ],
        "zh-hans": [
            (
                "保修被拒绝",
                "我的{product}变速箱十个月就坏了，但是维修站说不在保修范围内。",
                "按照保修免费维修",
            )
        ],
        "et": [
            (
                "Garantiinõue lükati tagasi",
                "Minu {product} aku läks katki kümne kuu pärast, kuid garantiinõue lükati tagasi.",
                "Aku vahetus garantii alusel",
            )
        ],
    },
    "taller": {
        "es": [
            (
                "El mantenimiento tardó tres días más",
                "Dejé mi {product} para el mantenimiento y me lo entregaron tres días tarde, sin "
                "ningún aviso. Tuve que pagar taxi todos esos días.",
                "Compensación por los días sin vehículo",
            ),
            (
                "Me cobraron una pieza que no cambiaron",
                "En la factura del taller aparece un filtro que no fue cambiado en mi {product}; "
                "el filtro viejo sigue puesto.",
                "Devolución del valor cobrado",
            ),
        ],
        "en": [
            (
                "Car returned dirty after the service",
                "I picked up my {product} after the service and there was oil on the seats.",
                "Professional cleaning of the interior",
            )
        ],
        "zh-hans": [
            ("保养后车漏油", "{product}在你们这里保养后第二天就开始漏油。", "免费检查并修好")
        ],
        "et": [
            (
                "Hooldus venis kolm päeva",
                "Jätsin oma {product} hooldusesse, aga sain selle tagasi kolm päeva hiljem.",
                "Hüvitis auto kasutamise võimaluse puudumise eest",
            )
        ],
    },
    "repuestos": {
        "es": [
            (
                "Me entregaron un repuesto equivocado",
                "Pedí {product} y me entregaron unas de otro modelo. Perdí la mañana de trabajo.",
                "Cambio por el repuesto correcto",
            )
        ],
        "en": [
            (
                "Wrong part delivered",
                "I ordered {product} and received parts for another model.",
                "Send the right part",
            )
        ],
        "zh-hans": [("配件型号错误", "我订购的{product}型号不对，无法安装。", "更换正确的配件")],
        "et": [
            ("Vale varuosa", "Tellisin {product}, kuid sain teise mudeli osad.", "Õige varuosa")
        ],
    },
    "entrega": {
        "es": [
            (
                "La entrega del vehículo se retrasó dos semanas",
                "Me prometieron entregar mi {product} el día 5 y llegó dos semanas después. "
                "Nadie me avisó del retraso.",
                "Descuento por el retraso",
            ),
            (
                "El vehículo llegó con un rayón",
                "Mi {product} llegó con un rayón en la puerta trasera después del transporte.",
                "Reparación de la pintura",
            ),
        ],
        "en": [
            (
                "Delivery two weeks late",
                "My {product} was promised for the 5th and arrived two weeks later.",
                "Compensation for the delay",
            )
        ],
        "zh-hans": [
            (
                "交车延迟",
                "说好5号交车，{product}晚了两个星期才到，也没有人通知我。",
                "赔偿延迟造成的损失",
            )
        ],
        "et": [
            (
                "Auto jõudis kriimuga",
                "Minu {product} jõudis kohale kriimuga tagauksel.",
                "Värvikahjustuse parandamine",
            )
        ],
    },
    "contrato": {
        "es": [
            (
                "Cobro de intereses no pactados",
                "En el crédito de mi {product} aparecen intereses más altos que los del contrato "
                "firmado. Exijo que se respete lo pactado.",
                "Corregir la tasa y devolver lo cobrado de más",
            ),
            (
                "No me entregan los documentos del vehículo",
                "Pagué mi {product} completo hace un mes y aún no tengo la matrícula.",
                "Entrega inmediata de los documentos",
            ),
        ],
        "en": [
            (
                "Invoice does not match the contract",
                "The invoice for my {product} is higher than the price in the signed contract.",
                "Correct the invoice",
            )
        ],
        "zh-hans": [
            ("合同价格与发票不符", "{product}的发票金额比合同上的价格高。", "按合同价格开具发票")
        ],
        "et": [
            (
                "Arve ei vasta lepingule",
                "Minu {product} arve on suurem kui lepingus kokku lepitud hind.",
                "Parandage arve",
            )
        ],
    },
    "atencion": {
        "es": [
            (
                "Mala atención en el concesionario",
                "El asesor fue grosero cuando pregunté por la garantía de mi {product}.",
                "Una disculpa y atención adecuada",
            ),
            (
                "Nadie contesta el teléfono",
                "He llamado cinco veces a la línea de servicio y nadie contesta.",
                "Que me llamen",
            ),
        ],
        "en": [
            (
                "Nobody answers my e-mails",
                "I have written three times about my {product} and nobody answers.",
                "A call from a manager",
            )
        ],
        "zh-hans": [("服务态度差", "销售顾问对我的问题很不耐烦。", "道歉")],
        "et": [
            ("Halb teenindus", "Teenindaja ei vastanud minu küsimustele viisakalt.", "Vabandust")
        ],
    },
    "ventas": {
        "es": [
            (
                "Información incompleta sobre el vehículo",
                "Al comprar mi {product} no me dijeron que el seguro no estaba incluido.",
                "Que asuman el primer año de seguro",
            )
        ],
        "en": [
            (
                "Misleading advertisement",
                "The advertised price for the {product} was not honoured.",
                "Sell at the advertised price",
            )
        ],
        "zh-hans": [("销售承诺未兑现", "购买{product}时承诺送保养，现在不认账。", "兑现承诺")],
        "et": [
            (
                "Müügilubadus jäi täitmata",
                "Ostes {product} lubati tasuta hooldust.",
                "Täitke lubadus",
            )
        ],
    },
    "sugerencias": {
        "es": [
            (
                "Sugerencia: abrir el taller los sábados por la tarde",
                "Sería muy útil que el taller atendiera los sábados por la tarde para quienes "
                "trabajamos entre semana.",
                "",
            ),
            (
                "Felicitaciones al equipo del taller",
                "Quiero agradecer al equipo del taller por la excelente atención con mi {product}.",
                "",
            ),
        ],
        "en": [
            (
                "Suggestion: online booking for the workshop",
                "It would help to book workshop appointments online.",
                "",
            )
        ],
        "zh-hans": [("建议增加中文服务", "希望服务中心能有会说中文的顾问。", "")],
        "et": [
            (
                "Ettepanek: eestikeelne teenindus",
                "Oleks hea, kui teenindus oleks ka eesti keeles.",
                "",
            )
        ],
    },
}

SOLUTIONS = {
    "defecto-vehiculo": (
        "Revisión completa y cambio de la pieza defectuosa sin costo; vehículo de "
        "reemplazo mientras dura la reparación.",
        850_000,
    ),
    "garantia": ("Reparación bajo garantía y revisión de los 10.000 km gratis.", 1_400_000),
    "taller": ("Devolución del valor cobrado de más y un lavado completo de cortesía.", 180_000),
    "repuestos": ("Cambio inmediato por el repuesto correcto, entregado en su domicilio.", 120_000),
    "entrega": ("Descuento en el próximo mantenimiento y reparación de la pintura.", 650_000),
    "contrato": ("Corrección de la tasa de interés y devolución de lo cobrado de más.", 3_200_000),
    "atencion": ("Disculpa del jefe de servicio y atención preferente en su próxima visita.", 0),
    "ventas": ("Primer año de seguro a cargo de la empresa.", 2_100_000),
    "sugerencias": ("Gracias por su sugerencia; la estudiamos con el equipo.", 0),
}

EXTERNAL_BODY = "Superintendencia de Industria y Comercio (SIC)"


# The company's own service standards page (A3), as an administrator would write it at /admin/.
PUBLISHED_PAGES = [
    (
        "service-standards",
        "es",
        "Nuestros estándares de servicio",
        "<h2>Lo que le prometemos</h2><ul><li>Confirmamos su PQRS el mismo día hábil.</li>"
        "<li>Respondemos en 15 días hábiles como máximo, como exige la ley colombiana.</li>"
        "<li>Su vehículo sale del taller el día acordado; si no, le prestamos uno.</li></ul>"
        "<h2>Si fallamos: compensaciones</h2><ul><li>Repuesto defectuoso: cambio sin costo y "
        "mano de obra incluida.</li><li>Retraso en la entrega de un vehículo nuevo: 0,5 % del "
        "precio por semana de retraso.</li><li>Reparación mal hecha: se repite gratis y el "
        "siguiente mantenimiento no tiene costo.</li></ul>",
    ),
    (
        "service-standards",
        "en",
        "Our service standards",
        "<h2>What we promise</h2><ul><li>We confirm your complaint the same working day.</li>"
        "<li>We answer within 15 working days at the latest.</li>"
        "<li>Your car leaves the workshop on the agreed day; if not, we lend you one.</li></ul>"
        "<h2>If we fall short: compensation</h2><ul><li>Faulty part: replaced free, labour "
        "included.</li><li>Late delivery of a new car: 0.5% of the price per week of delay.</li>"
        "<li>Repair done badly: redone free, and your next service costs nothing.</li></ul>",
    ),
]
