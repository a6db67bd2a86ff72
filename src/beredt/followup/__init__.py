"""Follow-up after an incident: routing, handover with receipt, follow-up tasks, outreach.

Owns the follow-up units (who receives for a municipality, a region's psychiatry or an
employer), the ordered routing rules an administrator edits, the routing decisions (with
the rule that made them), handovers (*overdragelser*) of consented people to a receiving
organisation with receipt and escalation, re-routing, FHIR R4 / CSV exchange of handovers,
follow-up tasks and work queues, and outreach campaigns (SMS, e-mail and digital mail —
*Digital Post*/e-Boks, as MeMo XML in an outbox, whose transport lives here in
:mod:`.transports`) with exactly one message per person.

Terms: *bopælskommune* — the municipality where the person lives, responsible for
follow-up; *hændelseskommune* — where the incident happened, responsible for the acute
effort (seed 001); *kriseterapi* — crisis therapy the region offers about 8 weeks after the
event when its crisis team took part (seed 002); KOP — the coordinating psychiatric contact
person, who is alerted when a receiver does not acknowledge a handover.

May import: core, accounts, geo, organisations, incidents, registry (its consent check
``registry.selectors.may_contact``/``consented_channels`` and the withdrawal hook), notify
(transports and message queue), directory (referrals to an offer). Nothing imports it.
"""
