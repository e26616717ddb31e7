"""The dialogue: one client message in, the assistant's replies out.

The conversation's `state` is its memory: the slots carried across turns
(services, master, day, time window), the times offered, and what waits for
an explicit "yes" (`pending`). Nothing is written to the calendar until the
client confirms a summary of exactly what will be booked, moved or
cancelled, and who they are is known: the signed-in account, or a six-digit
code sent by SMS to the phone they give (the booking wizard's own code,
`clientarea.services.draft_send_code`, for a booking; `phone_code_send` for
seeing, moving and cancelling visits).

A guest who proved a phone (or a WhatsApp sender, whose number WhatsApp
proved) sees that phone's upcoming visits at this salon for
`PHONE_PROOF_MINUTES`: the visits whose client card has that phone.

Every write goes through the pages' services: `booking_hold` and
`draft_confirm` (the wizard), `visit_reschedule` and `visit_cancel` (the
client's account), `manage_reschedule` and `manage_cancel` (the manage link a
guest's confirmation carries). Their refusals (a slot taken meanwhile, a patch
test missing, the salon's notice and horizon) come back as the assistant's
answer.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from solibook.assistant import salon
from solibook.assistant.models import Channel, Conversation
from solibook.assistant.understanding import Reading, understand
from solibook.booking.manage_link import manage_token
from solibook.booking.models import Appointment, Source, Status
from solibook.booking.selectors import ItemSpec
from solibook.clientarea import services as wizard
from solibook.core.errors import DomainError
from solibook.core.tenancy import business_scope

MAX_OFFERED = 4
DAYS_SEARCHED = 7
MISSES_BEFORE_HANDOVER = 3
PHONE_PROOF_MINUTES = 30
CODE_RE = re.compile(r"^\s*(\d\s*){6}$")
YES_WORDS = {"yes", "y", "oui", "да", "ага", "نعم", "ايوه", "أيوه", "ok", "okay", "d'accord"}
NO_WORDS = {"no", "non", "нет", "لا", "n"}


@dataclass
class Reply:
    text: str
    choices: list[dict] = field(default_factory=list)  # [{"label": ..., "value": ...}]
    link: str = ""
    intent: str = ""

    def as_dict(self) -> dict:
        return {"text": self.text, "choices": self.choices, "link": self.link}


@dataclass
class Outcome:
    """What one turn did: the replies, and a hand-over or booking to record."""

    replies: list[Reply]
    handover: bool = False
    appointment_id: int | None = None
    reading: Reading | None = None


class Turn:
    def __init__(self, *, conversation: Conversation, text: str, account, now: datetime):
        self.conversation = conversation
        self.business = conversation.business
        self.state: dict = conversation.state
        self.text = (text or "").strip()[:1000]
        self.account = account if account is not None and account.is_authenticated else None
        self.now = now
        location = salon.location_of(self.business, self.state.get("location_id"))
        self.location = location
        self.zone = ZoneInfo(location.time_zone if location else "UTC")
        self.local_now = now.astimezone(self.zone)
        self.outcome = Outcome(replies=[])

    # --- helpers ------------------------------------------------------------------

    def say(self, text: str, **kwargs) -> Outcome:
        self.outcome.replies.append(Reply(text=text, **kwargs))
        return self.outcome

    def help_text(self) -> str:
        return _(
            "I can tell you our prices, durations, masters, opening hours, address and "
            "policies, find a free time and book, move or cancel your visit."
        )

    def yes_no(self) -> list[dict]:
        return [{"label": _("Yes, confirm"), "value": "yes"}, {"label": _("No"), "value": "no"}]

    # --- the turn -----------------------------------------------------------------

    def chosen(self, text: str) -> str:
        """A button's label sent back as text (messengers), or its number, is its value."""
        choices = self.state.get("choices") or []
        for i, choice in enumerate(choices):
            if text.strip().lower() in {choice["label"].lower(), str(i + 1)}:
                return choice["value"]
        return text

    def run(self) -> Outcome:
        if self.location is None:
            return self.say(_("This salon does not take bookings here yet."))
        awaiting = self.state.get("awaiting")
        self.text = self.chosen(self.text)
        lowered = self.text.lower().strip(" .!")
        if awaiting == "phone" and lowered not in NO_WORDS:
            return self.take_phone()
        if awaiting == "code" and CODE_RE.match(self.text):
            return self.take_code()
        if awaiting == "visits_phone" and lowered not in NO_WORDS:
            return self.take_visits_phone()
        if awaiting == "visits_code" and CODE_RE.match(self.text):
            return self.take_visits_code()
        if lowered.startswith("slot:"):
            return self.pick_slot(lowered.removeprefix("slot:"))
        if lowered.startswith("service:"):
            return self.pick_service(lowered.removeprefix("service:"))
        if lowered.startswith("visit:"):
            return self.pick_visit(lowered.removeprefix("visit:"))
        if lowered in YES_WORDS and self.state.get("pending"):
            return self.confirm()
        if lowered in NO_WORDS and (self.state.get("pending") or awaiting):
            return self.deny()
        reading = understand(
            self.text,
            catalogue=salon.catalogue_of(business=self.business),
            now=self.local_now,
            language_hint=self.conversation.language,
        )
        self.outcome.reading = reading
        if reading.language and (reading.confident or len(self.text) > 12):
            self.conversation.language = reading.language
        from django.utils import translation

        with translation.override(self.conversation.language):
            return self.act(reading)

    def act(self, reading: Reading) -> Outcome:
        intent = reading.intent if reading.confident else "other"
        if reading.injection:
            # The text's orders are never followed; the rules stay the salon's.
            self.say(
                _("I can't change the salon's rules or prices, but I'm glad to help within them."),
                intent="injection",
            )
            if intent in {"confirm", "book", "cancel", "reschedule"}:
                return self.outcome
        if intent == "abuse":
            return self.say(
                _("I'd like to help. Let's keep our conversation respectful."), intent="abuse"
            )
        has_slots = bool(
            reading.service_ids
            or reading.day
            or reading.time
            or reading.window
            or reading.ambiguous.get("service_ids")
        )
        goal = self.state.get("goal")
        # An answer to a clarifying question ("a haircut", "Monday at 3") carries
        # the request on: the slots say what the intent alone does not.
        if intent == "other" and has_slots and not reading.injection:
            intent = "reschedule" if goal == "reschedule" else "book"
        elif intent in {"book", "ask_availability"} and goal == "reschedule":
            intent = "reschedule"
        if intent != "other":
            self.state["misses"] = 0
        # A time picked by typing it ("14:30", "the second one") among those offered.
        if self.state.get("offered") and reading.time and intent in {"other", "book", "confirm"}:
            for index, slot in enumerate(self.state["offered"]):
                if datetime.fromisoformat(slot["start"]).astimezone(self.zone).time() == (
                    reading.time
                ):
                    return self.pick_slot(str(index))
        handler = {
            "greet": self.greet,
            "thanks": self.thanks,
            "ask_price": self.prices,
            "ask_duration": self.prices,
            "ask_hours": self.hours,
            "ask_address": self.address,
            "ask_policy": self.policy,
            "ask_masters": self.masters,
            "ask_availability": self.find_times,
            "book": self.find_times,
            "reschedule": self.reschedule,
            "cancel": self.cancel,
            "my_bookings": self.my_bookings,
            "confirm": self.confirm,
            "deny": self.deny,
            "human": self.handover,
        }.get(intent)
        if handler is None:
            if reading.injection:
                return self.outcome
            return self.not_understood()
        self.remember(reading)
        return handler()

    def remember(self, reading: Reading) -> None:
        if reading.service_ids:
            self.state["service_ids"] = list(reading.service_ids)
        if reading.master_id:
            self.state["master_id"] = reading.master_id
        if reading.day:
            self.state["day"] = reading.day.isoformat()
        if reading.time:
            self.state["time"] = reading.time.strftime("%H:%M")
            self.state.pop("window", None)
        elif reading.window:
            self.state["window"] = [t.strftime("%H:%M") for t in reading.window]
            self.state.pop("time", None)
        if reading.ambiguous.get("service_ids"):
            self.state["ambiguous_services"] = [int(i) for i in reading.ambiguous["service_ids"]]
        else:
            self.state.pop("ambiguous_services", None)

    # --- small talk and facts -----------------------------------------------------

    def greet(self) -> Outcome:
        return self.say(
            _("Hello! I'm the virtual assistant of %(salon)s.") % {"salon": self.business.name}
            + " "
            + self.help_text(),
            intent="greet",
        )

    def thanks(self) -> Outcome:
        return self.say(_("You're welcome! Anything else I can do for you?"), intent="thanks")

    def not_understood(self) -> Outcome:
        self.state["misses"] = self.state.get("misses", 0) + 1
        if self.state["misses"] >= MISSES_BEFORE_HANDOVER:
            self.state["misses"] = 0
            return self.handover()
        return self.say(_("Sorry, I didn't understand.") + " " + self.help_text(), intent="other")

    def prices(self) -> Outcome:
        facts = salon.service_facts(
            business=self.business, service_ids=self.state.get("service_ids") or None
        )
        if not facts:
            return self.say(_("This salon has no services to book online yet."))
        lines = [salon.price_line(f) for f in facts[:8]]
        return self.say("\n".join(lines), intent="ask_price")

    def hours(self) -> Outcome:
        return self.say(salon.hours_text(self.location), intent="ask_hours")

    def address(self) -> Outcome:
        return self.say(salon.address_text(self.location), intent="ask_address")

    def policy(self) -> Outcome:
        return self.say(salon.policy_text(self.business), intent="ask_policy")

    def masters(self) -> Outcome:
        return self.say(
            salon.masters_text(self.business, self.state.get("service_ids") or []),
            intent="ask_masters",
        )

    # --- finding a time -----------------------------------------------------------

    def service_choices(self, ids: list[int] | None = None) -> list[dict]:
        facts = salon.service_facts(business=self.business, service_ids=ids)
        # The value names the service exactly: its name alone may read as several.
        return [{"label": f.name, "value": f"service:{f.id}"} for f in facts[:8]]

    def pick_service(self, id_text: str) -> Outcome:
        facts = salon.service_facts(business=self.business)
        chosen = next((f for f in facts if str(f.id) == id_text.strip()), None)
        if chosen is None:
            return self.say(_("Which service would you like?"), choices=self.service_choices())
        self.state["service_ids"] = [chosen.id]
        self.state.pop("ambiguous_services", None)
        return self.find_times()

    def find_times(self) -> Outcome:
        if self.state.get("ambiguous_services"):
            ids = self.state.pop("ambiguous_services")
            return self.say(
                _("Which one do you mean?"), choices=self.service_choices(ids), intent="clarify"
            )
        service_ids = self.state.get("service_ids") or []
        if not service_ids:
            return self.say(
                _("Which service would you like?"),
                choices=self.service_choices(),
                intent="clarify",
            )
        facts = salon.service_facts(business=self.business, service_ids=service_ids)
        if not facts:
            self.state.pop("service_ids", None)
            return self.say(
                _("This service cannot be booked online. Which service would you like?"),
                choices=self.service_choices(),
            )
        day = date.fromisoformat(self.state["day"]) if self.state.get("day") else None
        if day is not None and day < self.local_now.date():
            self.state.pop("day", None)
            return self.say(
                _("That date has already passed. Which day would suit you?"), intent="past_date"
            )
        for item in facts:
            if salon.patch_test_missing(
                business=self.business,
                service=item,
                account=self.account,
                day=day or self.local_now.date(),
            ):
                self.state.pop("service_ids", None)
                return self.say(
                    _(
                        "%(service)s needs a valid patch test at the salon before it can be "
                        "booked, so I can't book it here. Would you like me to pass you to the "
                        "salon's team to arrange one?"
                    )
                    % {"service": item.name},
                    choices=[{"label": _("Talk to a person"), "value": _("Talk to a person")}],
                    intent="patch_test",
                )
        return self.offer(facts, day)

    def search(self, service_ids: list[int], start_day: date, days: int) -> list:
        variants = salon.default_variants(business=self.business, service_ids=service_ids)
        specs = [
            ItemSpec(
                service_id=sid, variant_id=variants.get(sid), master_id=self.state.get("master_id")
            )
            for sid in service_ids
        ]
        if self.state.get("goal") == "reschedule" and self.state.get("visit_specs"):
            # A guest's visit moves with its own services, options and masters
            # (the manage page's search: the manage link keeps the masters).
            specs = [ItemSpec(*spec) for spec in self.state["visit_specs"]]
        try:
            by_day = wizard.wizard_slots(
                business=self.business,
                location=self.location,
                specs=specs,
                day=start_day,
                days=days,
                now=self.now,
            )
        except DomainError:
            return []
        return [slot for day_slots in by_day.values() for slot in day_slots]

    def offer(self, facts, day: date | None) -> Outcome:
        start_day = day or self.local_now.date()
        slots = self.search([f.id for f in facts], start_day, 1 if day else DAYS_SEARCHED)
        wanted_time = self.state.get("time")
        window = self.state.get("window")
        if wanted_time:
            exact = [s for s in slots if s.start.strftime("%H:%M") == wanted_time]
            if exact:
                slots = exact
            else:
                target = time.fromisoformat(wanted_time)
                slots.sort(
                    key=lambda s: abs(
                        (s.start.hour * 60 + s.start.minute) - (target.hour * 60 + target.minute)
                    )
                )
                slots = sorted(slots[:MAX_OFFERED], key=lambda s: s.start)
        elif window:
            lo, hi = time.fromisoformat(window[0]), time.fromisoformat(window[1])
            within = [s for s in slots if lo <= s.start.time() <= hi]
            slots = within or slots
        note = ""
        if not slots and day is not None:
            note = _("Nothing is free that day.") + " "
            slots = self.search([f.id for f in facts], start_day + timedelta(days=1), DAYS_SEARCHED)
        if not slots:
            return self.say(
                _("I found no free time in the next days. Would you like to talk to a person?"),
                choices=[{"label": _("Talk to a person"), "value": _("Talk to a person")}],
            )
        slots = self.spread(slots)
        self.state["offered"] = [
            {"start": s.start.isoformat(), "master_ids": s.master_ids, "price": s.discounted_amount}
            for s in slots
        ]
        names = ", ".join(f.name for f in facts)
        if wanted_time and len(slots) == 1 and slots[0].start.strftime("%H:%M") == wanted_time:
            return self.pick_slot("0")
        choices = [
            {
                "label": f"{salon.when_text(s.start)} · {', '.join(s.master_names)}",
                "value": f"slot:{i}",
            }
            for i, s in enumerate(slots)
        ]
        return self.say(
            note + _("Free times for %(services)s:") % {"services": names},
            choices=choices,
            intent="offer",
        )

    def spread(self, slots: list) -> list:
        """A few times, not the first four quarter-hours of one morning."""
        if len(slots) <= MAX_OFFERED:
            return slots
        step = len(slots) / MAX_OFFERED
        return [slots[int(i * step)] for i in range(MAX_OFFERED)]

    def pick_slot(self, index_text: str) -> Outcome:
        offered = self.state.get("offered") or []
        if not index_text.strip().isdigit() or int(index_text) >= len(offered):
            return self.say(_("That time is no longer on offer. Let me look again."))
        slot = offered[int(index_text)]
        start = datetime.fromisoformat(slot["start"]).astimezone(self.zone)
        goal = self.state.get("goal") or "book"
        self.state["pending"] = {
            "kind": "reschedule" if goal == "reschedule" else "book",
            "start": slot["start"],
            "master_ids": slot["master_ids"],
            "appointment_id": self.state.get("appointment_id"),
        }
        facts = salon.service_facts(
            business=self.business, service_ids=self.state.get("service_ids") or []
        )
        masters = ", ".join(
            dict.fromkeys(salon.master_name(self.business, m) for m in slot["master_ids"])
        )
        if goal == "reschedule":
            text = _("Move your visit to %(when)s with %(masters)s?") % {
                "when": salon.when_text(start),
                "masters": masters,
            }
        else:
            text = _("Book %(services)s on %(when)s with %(masters)s, for %(price)s?") % {
                "services": ", ".join(f.name for f in facts),
                "when": salon.when_text(start),
                "masters": masters,
                "price": salon.money(slot.get("price", 0), self.business.currency),
            }
        return self.say(text, choices=self.yes_no(), intent="summary")

    # --- confirming ---------------------------------------------------------------

    def deny(self) -> Outcome:
        pending = self.state.pop("pending", None)
        self.state.pop("awaiting", None)
        self.state.pop("after_check", None)
        self.release_hold()
        if pending:
            return self.say(
                _("All right, nothing was changed. Would you like another time?"), intent="deny"
            )
        return self.say(_("All right. Anything else I can do for you?"), intent="deny")

    def release_hold(self) -> None:
        token = self.state.pop("draft", None)
        if not token:
            return
        with scopes_disabled():
            draft = wizard.BookingDraft.objects.filter(
                token=token, confirmed_at__isnull=True
            ).first()
        if draft is not None:
            from solibook.booking import services as booking

            try:
                with business_scope(self.business):
                    booking.appointment_cancel(
                        business=self.business,
                        appointment_id=draft.appointment_id,
                        actor=None,
                        by_client=True,
                        reason="assistant: not confirmed",
                        now=self.now,
                    )
            except DomainError:
                pass  # already expired or gone: the time is free either way

    def confirm(self) -> Outcome:
        pending = self.state.get("pending")
        if not pending:
            return self.say(
                _("There is nothing waiting for your confirmation.") + " " + self.help_text()
            )
        if pending["kind"] == "book":
            return self.book(pending)
        if not self.identified():
            return self.check_phone(pending["kind"])
        if self.account is None and not self.owns(pending["appointment_id"]):
            self.clear()
            return self.say(_("I can't find that visit among yours."))
        try:
            if pending["kind"] == "cancel":
                self.write_cancel(pending["appointment_id"])
                self.clear()
                return self.say(_("Your visit is cancelled."), intent="cancelled")
            moved = self.write_reschedule(pending)
        except DomainError as exc:
            self.state.pop("pending", None)
            return self.say(exc.message)
        self.clear()
        self.outcome.appointment_id = moved.pk
        return self.say(
            _("Done: your visit is now on %(when)s.")
            % {"when": salon.when_text(moved.starts_at.astimezone(self.zone))},
            intent="rescheduled",
        )

    def write_cancel(self, appointment_id: int) -> None:
        if self.account is not None:
            wizard.visit_cancel(
                user=self.account, appointment_id=appointment_id, reason="assistant", now=self.now
            )
        else:
            # A guest's visit: the manage link's service, as if they had opened
            # the link in their confirmation (the same policy, fee and notice).
            wizard.manage_cancel(
                token=manage_token(appointment_id), reason="assistant", now=self.now
            )

    def write_reschedule(self, pending: dict) -> Appointment:
        start = datetime.fromisoformat(pending["start"])
        if self.account is not None:
            return wizard.visit_reschedule(
                user=self.account,
                appointment_id=pending["appointment_id"],
                start=start,
                master_ids=pending["master_ids"],
                now=self.now,
            )
        # The manage link keeps the visit's masters: the times offered were
        # searched with them (`visit_specs`).
        return wizard.manage_reschedule(
            token=manage_token(pending["appointment_id"]), start=start, now=self.now
        )

    def book(self, pending: dict) -> Outcome:
        if not self.state.get("draft"):
            try:
                draft = wizard.booking_hold(
                    business=self.business,
                    location_id=self.location.pk,
                    specs=self.booking_specs(pending["master_ids"]),
                    start=datetime.fromisoformat(pending["start"]),
                    user=self.account,
                    source=Source.ASSISTANT,
                    now=self.now,
                )
            except DomainError as exc:
                self.state.pop("pending", None)
                return self.say(exc.message + " " + _("Shall I look for another time?"))
            self.state["draft"] = draft.token
        if self.account is None:
            self.state["awaiting"] = "phone"
            return self.say(
                _(
                    "I'm holding this time for you for 15 minutes. To confirm it's you, "
                    "what is your name and mobile number? I'll send you a code by SMS."
                ),
                intent="ask_phone",
            )
        return self.finish_booking(user=self.account)

    def booking_specs(self, master_ids: list[int]) -> list[ItemSpec]:
        """What was offered: each service (its default option) with its master."""
        service_ids = self.state.get("service_ids") or []
        variants = salon.default_variants(business=self.business, service_ids=service_ids)
        return [
            ItemSpec(service_id=sid, variant_id=variants.get(sid), master_id=mid)
            for sid, mid in zip(service_ids, master_ids, strict=False)
        ]

    def finish_booking(self, *, user) -> Outcome:
        token = self.state["draft"]
        try:
            appointment = wizard.draft_confirm(
                token=token, user=user, language=self.conversation.language, now=self.now
            )
        except DomainError as exc:
            self.clear()
            return self.say(exc.message + " " + _("Shall I look for another time?"))
        self.clear()
        self.outcome.appointment_id = appointment.pk
        when = salon.when_text(appointment.starts_at.astimezone(self.zone))
        if appointment.status == Status.AWAITING_DEPOSIT:
            return self.say(
                _(
                    "Your visit on %(when)s is reserved. The salon asks for a deposit: "
                    "please pay it within 30 minutes to confirm."
                )
                % {"when": when},
                link=reverse("clientarea:book_pay", kwargs={"token": token}),
                intent="deposit",
            )
        return self.say(
            _("Booked! See you on %(when)s.") % {"when": when}
            + " "
            + _("You will receive a confirmation."),
            intent="booked",
        )

    def take_phone(self) -> Outcome:
        digits = re.sub(r"[^\d+]", " ", self.text).split()
        candidate = "".join(d for d in digits if d)
        name = re.sub(r"[\d+()\-.]", " ", self.text).strip(" ,") or _("Client")
        try:
            number = phonenumbers.parse(candidate, self.business.country or None)
            valid = phonenumbers.is_valid_number(number)
        except phonenumbers.NumberParseException:
            valid = False
        if not valid:
            return self.say(
                _("That doesn't look like a phone number. Please write it with its country code.")
            )
        try:
            wizard.draft_send_code(
                token=self.state["draft"],
                channel="sms",
                destination=candidate,
                name=name[:150],
                now=self.now,
            )
        except DomainError as exc:
            return self.say(exc.message)
        self.state["awaiting"] = "code"
        return self.say(
            _("I've sent a six-digit code to your phone. Please type it here."), intent="ask_code"
        )

    def take_code(self) -> Outcome:
        try:
            wizard.draft_verify(
                token=self.state["draft"], code=self.text.replace(" ", ""), now=self.now
            )
        except DomainError as exc:
            return self.say(exc.message)
        return self.finish_booking(user=None)

    def clear(self) -> None:
        for key in (
            "pending",
            "awaiting",
            "draft",
            "offered",
            "goal",
            "appointment_id",
            "time",
            "window",
            "day",
            "visit_specs",
            "after_check",
        ):
            self.state.pop(key, None)

    # --- the client's visits ------------------------------------------------------

    def verified_phone(self) -> str | None:
        """The phone this guest proved with a code, while the proof lasts."""
        if self.conversation.channel == Channel.WHATSAPP:
            # WhatsApp gives the sender's own number (`from`, digits without the
            # "+") in a webhook whose signature was checked: WhatsApp verified
            # that phone, so no code is sent. Telegram's chat id is no phone.
            return e164("+" + self.conversation.external_id)
        proof = self.state.get("verified_phone")
        if proof and datetime.fromisoformat(proof["until"]) > self.now:
            return proof["phone"]
        self.state.pop("verified_phone", None)
        return None

    def identified(self) -> bool:
        return self.account is not None or self.verified_phone() is not None

    def check_phone(self, goal: str) -> Outcome:
        """Ask a guest for their mobile number, to send a code before anything
        about their visits is shown or changed."""
        self.state["after_check"] = goal
        self.state["awaiting"] = "visits_phone"
        self.state.pop("pending", None)
        return self.say(
            _(
                "To find your visits, I need to check it's you. What is your mobile number? "
                "I'll send you a code by SMS."
            ),
            intent="ask_phone",
        )

    def take_visits_phone(self) -> Outcome:
        sent = self.state.get("visits_code") or {}
        if self.state.get("visits_codes_sent", 0) >= wizard.MAX_CODES:
            return self.say(
                _("Too many codes were sent. Please use the link in your confirmation message.")
            )
        if (
            sent
            and (self.now - datetime.fromisoformat(sent["sent_at"])).total_seconds()
            < wizard.RESEND_SECONDS
        ):
            return self.say(_("A code was just sent. Please wait a moment before asking again."))
        try:
            proof = wizard.phone_code_send(
                key=self.code_key(), phone=self.text, business=self.business
            )
        except DomainError:
            return self.say(
                _("That doesn't look like a phone number. Please write it with its country code.")
            )
        self.state["visits_codes_sent"] = self.state.get("visits_codes_sent", 0) + 1
        self.state["visits_code"] = {
            "phone": proof.phone,
            "hash": proof.code_hash,
            "sent_at": self.now.isoformat(),
            "attempts": 0,
        }
        self.state["awaiting"] = "visits_code"
        return self.say(
            _("I've sent a six-digit code to your phone. Please type it here."), intent="ask_code"
        )

    def code_key(self) -> str:
        return f"assistant:{self.conversation.pk}"

    def take_visits_code(self) -> Outcome:
        sent = self.state.get("visits_code")
        if not sent:
            return self.check_phone(self.state.get("after_check") or "my_bookings")
        expires_at = datetime.fromisoformat(sent["sent_at"]) + timedelta(
            minutes=wizard.CODE_MINUTES
        )
        if sent["attempts"] >= wizard.MAX_ATTEMPTS or expires_at < self.now:
            self.state.pop("visits_code", None)
            self.state["awaiting"] = "visits_phone"
            return self.say(
                _(
                    "This code can no longer be used. Send me your mobile number again for a new one."
                ),
                intent="ask_phone",
            )
        sent["attempts"] += 1
        proof = wizard.PhoneCode(phone=sent["phone"], code_hash=sent["hash"])
        if not proof.matches(key=self.code_key(), code=self.text):
            left = wizard.MAX_ATTEMPTS - sent["attempts"]
            if left <= 0:
                self.state.pop("visits_code", None)
                self.state["awaiting"] = "visits_phone"
                return self.say(
                    _(
                        "This code is not right, and that was the last try. Send me your "
                        "mobile number again for a new code."
                    ),
                    intent="wrong_code",
                )
            return self.say(
                ngettext(
                    "This code is not right. You can try %(count)s more time.",
                    "This code is not right. You can try %(count)s more times.",
                    left,
                )
                % {"count": left},
                intent="wrong_code",
            )
        self.state.pop("visits_code", None)
        self.state.pop("awaiting", None)
        self.state["verified_phone"] = {
            "phone": proof.phone,
            "until": (self.now + timedelta(minutes=PHONE_PROOF_MINUTES)).isoformat(),
        }
        goal = self.state.pop("after_check", None) or "my_bookings"
        if goal == "my_bookings":
            return self.my_bookings()
        return self.choose_visit(goal)

    def upcoming(self) -> list[Appointment]:
        """The client's next visits here: the account's, or those of the phone a
        guest proved: on the client card, or on the visit itself (a guest's
        booking in the wizard or this chat records the verified phone, E.164,
        on the visit without a card)."""
        phone = None if self.account is not None else self.verified_phone()
        if self.account is None and phone is None:
            return []
        whose = (
            Q(account=self.account)
            if phone is None
            else Q(client_card__phone=phone) | Q(client_phone=phone)
        )
        with business_scope(self.business):
            return list(
                Appointment.objects.filter(
                    whose,
                    business=self.business,
                    starts_at__gte=self.now,
                    status__in=[Status.CONFIRMED, Status.AWAITING_DEPOSIT],
                )
                .prefetch_related("items__service")
                .order_by("starts_at")[:5]
            )

    def owns(self, appointment_id) -> bool:
        return any(v.pk == appointment_id for v in self.upcoming())

    def visit_label(self, appointment: Appointment) -> str:
        services = ", ".join(i.service.name for i in appointment.items.all())
        return f"{salon.when_text(appointment.starts_at.astimezone(self.zone))} · {services}"

    def my_bookings(self) -> Outcome:
        if not self.identified():
            return self.check_phone("my_bookings")
        visits = self.upcoming()
        if not visits:
            return self.say(_("You have no upcoming visits here."), intent="my_bookings")
        return self.say(
            _("Your upcoming visits:") + "\n" + "\n".join(self.visit_label(v) for v in visits),
            intent="my_bookings",
        )

    def choose_visit(self, goal: str) -> Outcome:
        if not self.identified():
            return self.check_phone(goal)
        visits = self.upcoming()
        self.state["goal"] = goal
        if not visits:
            self.state.pop("goal", None)
            return self.say(_("You have no upcoming visits here."))
        if len(visits) == 1:
            return self.pick_visit(str(visits[0].pk))
        return self.say(
            _("Which visit?"),
            choices=[{"label": self.visit_label(v), "value": f"visit:{v.pk}"} for v in visits],
            intent="clarify",
        )

    def pick_visit(self, id_text: str) -> Outcome:
        if not self.identified():
            return self.check_phone(self.state.get("goal") or "cancel")
        visit = next((v for v in self.upcoming() if str(v.pk) == id_text.strip()), None)
        if visit is None:
            # Someone else's id, or one that does not exist: the same answer.
            return self.say(_("I can't find that visit among yours."))
        goal = self.state.get("goal") or "cancel"
        self.state["appointment_id"] = visit.pk
        if goal == "cancel":
            self.state["pending"] = {"kind": "cancel", "appointment_id": visit.pk}
            return self.say(
                _("Cancel your visit on %(visit)s?") % {"visit": self.visit_label(visit)},
                choices=self.yes_no(),
                intent="summary",
            )
        self.state["service_ids"] = [i.service_id for i in visit.items.all()]
        if self.account is None:
            self.state["visit_specs"] = [
                [i.service_id, i.variant_id, i.master_id]
                for i in sorted(visit.items.all(), key=lambda i: i.position)
            ]
        return self.say(
            _("When would you like to come instead?"),
            intent="clarify",
        )

    def cancel(self) -> Outcome:
        return self.choose_visit("cancel")

    def reschedule(self) -> Outcome:
        if self.state.get("goal") == "reschedule" and self.state.get("appointment_id"):
            return self.find_times()
        return self.choose_visit("reschedule")

    # --- a person -----------------------------------------------------------------

    def handover(self) -> Outcome:
        self.outcome.handover = True
        return self.say(
            _(
                "I've passed our conversation to the salon's team. Someone will answer you "
                "here as soon as possible."
            ),
            intent="handover",
        )


def e164(value: str) -> str | None:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def run_turn(*, conversation: Conversation, text: str, account, now: datetime | None) -> Outcome:
    from django.utils import translation

    now = now or timezone.now()
    turn = Turn(conversation=conversation, text=text, account=account, now=now)
    with translation.override(conversation.language or "en"):
        outcome = turn.run()
    conversation.state["choices"] = outcome.replies[-1].choices if outcome.replies else []
    return outcome
