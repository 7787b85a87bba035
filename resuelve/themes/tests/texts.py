"""About forty short texts on three clear topics, in Spanish, English, Chinese and Estonian:
(topic, language, subject, description)."""

from __future__ import annotations

BRAKES, DELIVERY, STAFF = "brakes", "delivery", "staff"

TEXTS: list[tuple[str, str, str, str]] = [
    # Squeaking brakes.
    (
        BRAKES,
        "es",
        "Los frenos chirrían",
        "Los frenos chirrían al frenar después del cambio de pastillas.",
    ),
    (
        BRAKES,
        "es",
        "Chirrido de frenos",
        "Chirrido fuerte en los frenos delanteros, pastillas nuevas.",
    ),
    (BRAKES, "es", "Frenos hacen ruido", "Los frenos hacen ruido y chirrían en cada frenada."),
    (
        BRAKES,
        "es",
        "Pastillas de freno chirrían",
        "Cambiaron las pastillas de freno y ahora chirrían.",
    ),
    (BRAKES, "es", "Ruido al frenar", "Chirrido de las pastillas de freno al frenar en bajada."),
    (BRAKES, "es", "Frenos chirriando", "Mis frenos siguen chirriando tras el servicio de frenos."),
    (BRAKES, "en", "Brakes squeak", "The brakes squeak loudly after the brake pads were replaced."),
    (BRAKES, "en", "Squeaking brakes", "Squeaking brakes every time I stop, new brake pads."),
    (BRAKES, "en", "Brake pads squeal", "The new brake pads squeak and squeal when braking."),
    (BRAKES, "en", "Noisy brakes", "My brakes squeak since the brake service."),
    (BRAKES, "zh-hans", "刹车异响", "换了刹车片以后刹车异响，刹车时吱吱响。"),
    (BRAKES, "zh-hans", "刹车吱吱响", "刹车片更换后刹车一直吱吱响。"),
    (BRAKES, "zh-hans", "刹车片有噪音", "新刹车片刹车时有噪音，刹车异响。"),
    (BRAKES, "et", "Pidurid kriuksuvad", "Pidurid kriuksuvad pärast piduriklotside vahetust."),
    (BRAKES, "et", "Piduriklotsid kriuksuvad", "Uued piduriklotsid kriuksuvad pidurdamisel."),
    # Late delivery.
    (DELIVERY, "es", "Entrega tardía", "El pedido llegó tarde, la entrega se retrasó dos semanas."),
    (DELIVERY, "es", "Pedido retrasado", "Mi pedido está retrasado, la entrega no llegó a tiempo."),
    (
        DELIVERY,
        "es",
        "Retraso en la entrega",
        "Retraso en la entrega del pedido, llegó una semana tarde.",
    ),
    (DELIVERY, "es", "El pedido no llega", "El pedido sigue sin llegar, entrega retrasada."),
    (DELIVERY, "es", "Entrega con retraso", "La entrega del pedido llegó con retraso y tarde."),
    (DELIVERY, "en", "Late delivery", "The delivery was late, my order arrived two weeks late."),
    (
        DELIVERY,
        "en",
        "Order delivered late",
        "My order was delivered late, the delivery was delayed.",
    ),
    (DELIVERY, "en", "Delayed order", "Delayed delivery of my order, it arrived late."),
    (DELIVERY, "en", "Delivery delayed again", "The order delivery is delayed again, still late."),
    (DELIVERY, "zh-hans", "送货太慢", "订单送货太慢，送货延迟了两周。"),
    (DELIVERY, "zh-hans", "订单送货延迟", "我的订单送货延迟，送货太慢。"),
    (DELIVERY, "zh-hans", "送货延迟", "送货延迟，订单到得太晚。"),
    (DELIVERY, "et", "Tarne hilines", "Tellimuse tarne hilines kaks nädalat."),
    (DELIVERY, "et", "Hilinenud tarne", "Tellimus saabus hilja, tarne hilines."),
    # Ideas about friendly staff.
    (
        STAFF,
        "es",
        "Personal muy amable",
        "Idea: premiar al personal amable, el personal fue muy amable.",
    ),
    (STAFF, "es", "Atención amable", "Sugiero reconocer al personal amable de la recepción."),
    (
        STAFF,
        "es",
        "Personal amable y atento",
        "El personal es amable y atento, propongo un premio al personal.",
    ),
    (STAFF, "es", "Reconocer al personal", "Propongo reconocer al personal amable cada mes."),
    (STAFF, "en", "Friendly staff", "Idea: reward the friendly staff, the staff were so friendly."),
    (STAFF, "en", "Staff were friendly", "Suggest recognising friendly staff at the reception."),
    (STAFF, "en", "Reward friendly staff", "The staff are friendly and helpful, reward the staff."),
    (STAFF, "en", "Friendly staff idea", "Friendly staff deserve a monthly staff award."),
    (STAFF, "zh-hans", "员工很友好", "员工很友好，建议奖励友好的员工。"),
    (STAFF, "zh-hans", "友好的员工", "前台员工友好热情，建议表扬员工。"),
    (
        STAFF,
        "et",
        "Sõbralik personal",
        "Personal oli väga sõbralik, ettepanek tunnustada sõbralikku personali.",
    ),
    (STAFF, "et", "Sõbralik teenindus", "Sõbralik personal, soovitan personali tunnustada."),
]


def text_of(row: tuple[str, str, str, str]) -> str:
    return f"{row[2]}\n{row[3]}"
