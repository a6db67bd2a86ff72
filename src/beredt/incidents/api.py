import datetime as dt
import uuid

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from beredt.accounts.models import User

from . import selectors, services
from .models import AssignmentRole, IncidentKind, IncidentStatus

router = Router(tags=["incidents"])


class IncidentIn(Schema):
    client_id: uuid.UUID | None = Field(
        None,
        description="Client-chosen UUID; a retry with the same value returns 200 and "
        "the incident created the first time.",
    )
    title: str = Field(..., min_length=1, max_length=200)
    kind: IncidentKind
    municipality_code: int = Field(..., description="Incident municipality, e.g. 730 Randers")
    lead_organisation_id: int
    description: str = ""
    place: str = Field("", max_length=200)
    started_at: dt.datetime | None = Field(
        None, description="ISO 8601; without offset it is Europe/Copenhagen time"
    )
    regional_level: str = Field("", max_length=60)
    municipal_crisis_level: int | None = Field(None, ge=1, le=2)
    is_exercise: bool = False


class IncidentOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID | None
    title: str
    kind: str
    status: str
    municipality_code: int = Field(..., alias="municipality_id")
    lead_organisation_id: int
    description: str
    place: str
    started_at: dt.datetime
    closed_at: dt.datetime | None
    regional_level: str
    municipal_crisis_level: int | None
    is_exercise: bool


class StatusIn(Schema):
    status: IncidentStatus


class AssignmentIn(Schema):
    user_id: int
    role: AssignmentRole
    reason: str = Field("", max_length=500, description=(
        "Required when you deploy yourself to an incident you do not lead (break-glass)."))


class AssignmentOut(Schema):
    id: int
    user_id: int
    username: str = Field(..., alias="user.username")
    role: str
    assigned_at: dt.datetime
    released_at: dt.datetime | None
    break_glass_reason: str = ""


@router.post("", response={200: IncidentOut, 201: IncidentOut}, summary="Open an incident")
def create_incident(request, payload: IncidentIn):
    incident, created = services.create_incident(by=request.user, **payload.dict())
    return Status(201 if created else 200, incident)


@router.get("", response=list[IncidentOut], summary="Incidents I can see")
@paginate(PageNumberPagination)
def list_incidents(request, status: IncidentStatus | None = None, exercise: bool | None = None):
    qs = selectors.incidents_visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    if exercise is not None:
        qs = qs.filter(is_exercise=exercise)
    return qs


@router.get("/{uuid:incident_id}", response=IncidentOut, summary="One incident")
def get_incident(request, incident_id: uuid.UUID):
    return get_object_or_404(selectors.incidents_visible_to(request.user), pk=incident_id)


@router.post("/{uuid:incident_id}/status", response=IncidentOut, summary="Change status")
def change_status(request, incident_id: uuid.UUID, payload: StatusIn):
    incident = get_object_or_404(selectors.incidents_visible_to(request.user), pk=incident_id)
    return services.change_status(by=request.user, incident=incident, status=payload.status)


@router.get(
    "/{uuid:incident_id}/assignments",
    response=list[AssignmentOut],
    summary="People assigned to the incident",
)
def list_assignments(request, incident_id: uuid.UUID):
    incident = get_object_or_404(selectors.incidents_visible_to(request.user), pk=incident_id)
    return list(selectors.assignments_of(incident))


@router.post(
    "/{uuid:incident_id}/assignments",
    response={201: AssignmentOut},
    summary="Assign a person to the incident",
)
def add_assignment(request, incident_id: uuid.UUID, payload: AssignmentIn):
    incident = get_object_or_404(selectors.incidents_visible_to(request.user), pk=incident_id)
    user = get_object_or_404(User, pk=payload.user_id, is_active=True)
    return Status(
        201, services.assign(by=request.user, incident=incident, user=user, role=payload.role,
                             reason=payload.reason),
    )


@router.post(
    "/{uuid:incident_id}/assignments/{assignment_id}/release",
    response=AssignmentOut,
    summary="Release a person from the incident",
)
def release_assignment(request, incident_id: uuid.UUID, assignment_id: int):
    incident = get_object_or_404(selectors.incidents_visible_to(request.user), pk=incident_id)
    assignment = get_object_or_404(incident.assignments, pk=assignment_id)
    return services.release(by=request.user, assignment=assignment)
