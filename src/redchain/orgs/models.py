"""The organisation graph: zones, party organisations and members, departments, enterprises,
industry chains and the party-building alliances built along them (一核多堡)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from redchain.core import idcard, text
from redchain.core.models import NameSorted, TimeStamped
from redchain.core.validators import validate_id_number, validate_phone, validate_uscc
from redchain.orgs.querysets import (
    AllianceQuerySet,
    DepartmentQuerySet,
    EnterpriseQuerySet,
    IndustryChainQuerySet,
    PartyMemberQuerySet,
    PartyOrgQuerySet,
    ZoneQuerySet,
)


class Zone(TimeStamped):
    """A development zone, industrial park or town (开发区 / 园区 / 镇街) that one deployment serves."""

    class Kind(models.TextChoices):
        DEVELOPMENT_ZONE = "development_zone", _("development zone")
        INDUSTRIAL_PARK = "industrial_park", _("industrial park")
        TOWN = "town", _("town")

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.DEVELOPMENT_ZONE)
    division_code = models.CharField(_("administrative division code"), max_length=6, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = ZoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(NameSorted, TimeStamped):
    """A government unit or public utility that handles enterprise demands (职能部门 / 承办单位)."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("government bureau")
        UTILITY = "utility", _("public utility")
        OFFICE = "office", _("committee office")

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="departments", verbose_name=_("zone")
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BUREAU)
    responsibilities = models.TextField(
        _("responsibility keywords"), blank=True, help_text=_("职责清单: keywords of what this unit handles.")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["sort_name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="department_unique_name_per_zone"),
        ]

    def __str__(self) -> str:
        return self.name


class Segment(models.TextChoices):
    """Where in an industry chain a firm sits (上游 / 中游 / 下游)."""

    UPSTREAM = "upstream", _("upstream")
    MIDSTREAM = "midstream", _("midstream")
    DOWNSTREAM = "downstream", _("downstream")


class IndustryChain(TimeStamped):
    """An industry chain or cluster (产业链 / 产业集群) of the zone, e.g. 新能源汽车."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="chains", verbose_name=_("zone"))
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=50)
    description = models.TextField(_("description"), blank=True)
    upstream = models.CharField(
        _("upstream"), max_length=200, blank=True, help_text=_("What the upstream makes.")
    )
    midstream = models.CharField(_("midstream"), max_length=200, blank=True)
    downstream = models.CharField(_("downstream"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = IndustryChainQuerySet.as_manager()

    class Meta:
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="chain_unique_name_per_zone"),
            models.UniqueConstraint(fields=["zone", "code"], name="chain_unique_code_per_zone"),
        ]

    def __str__(self) -> str:
        return self.name


class Enterprise(NameSorted, TimeStamped):
    """An enterprise of the zone, identified by its unified social credit code (一企一档)."""

    class Scale(models.TextChoices):
        ABOVE = "above", _("above designated size")  # 规上
        BELOW = "below", _("below designated size")  # 规下

    class ChainRole(models.TextChoices):
        LEADER = "leader", _("chain leader")  # 链主
        KEY = "key", _("key supporting firm")
        MEMBER = "member", pgettext_lazy("chain role", "member")

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("zone")
    )
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, validators=[validate_uscc])
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default=Scale.BELOW)
    chain = models.ForeignKey(
        IndustryChain,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("industry chain"),
    )
    segment = models.CharField(_("chain segment"), max_length=12, choices=Segment.choices, blank=True)
    chain_role = models.CharField(_("chain role"), max_length=10, choices=ChainRole.choices, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    land_area_mu = models.DecimalField(
        _("land area (mu)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    registered_capital_wan = models.DecimalField(
        _("registered capital (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[validate_phone]
    )
    search_text = models.CharField(max_length=500, editable=False, default="")

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "uscc"], name="enterprise_unique_uscc_per_zone"),
            models.CheckConstraint(
                condition=Q(chain_role="") | Q(chain__isnull=False), name="enterprise_chain_role_needs_chain"
            ),
            models.CheckConstraint(
                condition=Q(segment="") | Q(chain__isnull=False), name="enterprise_segment_needs_chain"
            ),
            models.CheckConstraint(
                condition=Q(land_area_mu__isnull=True) | Q(land_area_mu__gte=0),
                name="enterprise_land_area_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["zone", "sort_name"]), models.Index(fields=["zone", "scale"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = text.search_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def masked_contact_phone(self) -> str:
        return idcard.mask_phone(self.contact_phone)


class Qualification(models.TextChoices):
    """Recognised enterprise qualifications, counted on dashboards."""

    SPECIALISED = "specialised", _("specialised and innovative (专精特新)")
    PROVINCIAL_GIANT = "provincial_giant", _("provincial little giant (省级小巨人)")
    NATIONAL_GIANT = "national_giant", _("national little giant (国家级小巨人)")
    HIGH_TECH = "high_tech", _("high-tech enterprise (高新技术企业)")


class EnterpriseQualification(models.Model):
    """One qualification held by an enterprise, with the year it was granted."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("enterprise")
    )
    kind = models.CharField(_("qualification"), max_length=20, choices=Qualification.choices)
    granted_year = models.PositiveSmallIntegerField(_("year granted"), null=True, blank=True)

    class Meta:
        verbose_name = _("enterprise qualification")
        verbose_name_plural = _("enterprise qualifications")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind"], name="qualification_unique_per_enterprise"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Qualification.values), name="qualification_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_kind_display()}"


class PartyOrg(NameSorted, TimeStamped):
    """A party organisation in the zone's tree: working committee, committee, general branch, branch, group.

    The tree is a parent key plus a materialised ``path`` of ids ("/1/5/12/"), so a subtree is one
    ``path__startswith`` query. Moves go through :func:`redchain.orgs.services.party_org_move`, which rewrites
    the subtree's paths; a database trigger refuses a parent that lies inside the node's own subtree.
    """

    class Kind(models.TextChoices):
        WORKING_COMMITTEE = "working_committee", _("party working committee")  # 党工委
        COMMITTEE = "committee", _("party committee")  # 党委
        GENERAL_BRANCH = "general_branch", _("general branch")  # 党总支
        BRANCH = "branch", _("branch")  # 党支部
        GROUP = "group", _("party group")  # 党小组

    class OwnerKind(models.TextChoices):
        NONE = "", _("none")
        ENTERPRISE = "enterprise", _("enterprise")
        DEPARTMENT = "department", _("department")
        VILLAGE = "village", _("village")
        COMMUNITY = "community", _("community")

    class Rating(models.TextChoices):
        UNRATED = "", _("not rated")
        FORTRESS = "fortress", _("fortress branch")  # 堡垒支部
        ADVANCED = "advanced", _("advanced")
        STANDARD = "standard", _("standard")
        WEAK = "weak", _("weak and lax")  # 软弱涣散

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="party_orgs", verbose_name=_("zone")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, editable=False, default="", db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    owner_kind = models.CharField(
        _("owner kind"), max_length=12, choices=OwnerKind.choices, blank=True, default=""
    )
    owner_enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_orgs",
        verbose_name=_("owner enterprise"),
    )
    owner_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_orgs",
        verbose_name=_("owner department"),
    )
    owner_place = models.CharField(_("village or community"), max_length=100, blank=True)
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    brand_name = models.CharField(_("branch brand"), max_length=100, blank=True)  # 一支部一品牌
    brand_description = models.TextField(_("brand description"), blank=True)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, blank=True, default="")
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    objects = PartyOrgQuerySet.as_manager()

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone"],
                condition=Q(kind="working_committee"),
                name="party_org_one_committee_per_zone",
            ),
            models.UniqueConstraint(
                fields=["zone", "parent", "name"], name="party_org_unique_name_per_parent"
            ),
            models.CheckConstraint(
                condition=Q(kind="working_committee", parent__isnull=True)
                | (~Q(kind="working_committee") & Q(parent__isnull=False)),
                name="party_org_only_committee_is_root",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="party_org_not_own_parent"),
            models.CheckConstraint(
                condition=(
                    Q(owner_kind="enterprise")
                    & Q(owner_enterprise__isnull=False)
                    & Q(owner_department__isnull=True)
                )
                | (
                    Q(owner_kind="department")
                    & Q(owner_department__isnull=False)
                    & Q(owner_enterprise__isnull=True)
                )
                | (
                    Q(owner_kind__in=["", "village", "community"])
                    & Q(owner_enterprise__isnull=True)
                    & Q(owner_department__isnull=True)
                ),
                name="party_org_owner_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["working_committee", "committee", "general_branch", "branch", "group"]),
                name="party_org_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_label(self) -> str:
        if self.owner_enterprise_id:
            return str(self.owner_enterprise)
        if self.owner_department_id:
            return str(self.owner_department)
        return self.owner_place


class PartyMember(NameSorted, TimeStamped):
    """A party member (党员) of a party organisation. Phone and ID number are stored whole, shown masked."""

    class Status(models.TextChoices):
        FORMAL = "formal", _("formal member")  # 正式党员
        PROBATIONARY = "probationary", _("probationary member")  # 预备党员
        FLOWING = "flowing", _("flowing member")  # 流动党员

    class Gender(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="party_members", verbose_name=_("zone")
    )
    org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="members", verbose_name=_("party organisation")
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.FORMAL)
    joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    position = models.CharField(_("party post"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, validators=[validate_id_number])
    employer = models.ForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_members",
        verbose_name=_("employer"),
    )

    objects = PartyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "id_number"],
                condition=~Q(id_number=""),
                name="party_member_unique_id_number_per_zone",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["formal", "probationary", "flowing"]),
                name="party_member_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return idcard.mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return idcard.mask_id_number(self.id_number)


class Alliance(TimeStamped):
    """A party-building alliance (党建联盟) along one industry chain; a bastion around the core (一核多堡)."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="alliances", verbose_name=_("zone"))
    chain = models.ForeignKey(
        IndustryChain, on_delete=models.PROTECT, related_name="alliances", verbose_name=_("industry chain")
    )
    core = models.ForeignKey(
        PartyOrg,
        on_delete=models.PROTECT,
        related_name="led_alliances",
        verbose_name=_("core (working committee)"),
        help_text=_("The zone party working committee that leads every alliance (一核)."),
    )
    name = models.CharField(_("name"), max_length=100)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    objects = AllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["chain__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "chain"], name="alliance_one_per_chain_per_zone"),
            models.UniqueConstraint(fields=["zone", "name"], name="alliance_unique_name_per_zone"),
        ]

    def __str__(self) -> str:
        return self.name


class AllianceMember(models.Model):
    """A member unit of an alliance: a party org, enterprise, department, institute or finance firm."""

    class Kind(models.TextChoices):
        PARTY_ORG = "party_org", _("party organisation")
        ENTERPRISE = "enterprise", _("enterprise")
        DEPARTMENT = "department", _("department")
        INSTITUTE = "institute", _("research institute or university")
        FINANCE = "finance", _("financial institution")

    class Role(models.TextChoices):
        LEAD = "lead", _("lead unit")  # 牵头单位
        MEMBER = "member", pgettext_lazy("alliance role", "member")
        INSTRUCTOR = "instructor", _("instructor")  # 党建指导员

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="members", verbose_name=_("alliance")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    party_org = models.ForeignKey(
        PartyOrg, on_delete=models.CASCADE, null=True, blank=True, related_name="alliance_memberships"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, null=True, blank=True, related_name="alliance_memberships"
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="alliance_memberships"
    )
    external_name = models.CharField(_("name of the institution"), max_length=150, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")
        ordering = ["role", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="party_org")
                    & Q(party_org__isnull=False)
                    & Q(enterprise__isnull=True)
                    & Q(department__isnull=True)
                )
                | (
                    Q(kind="enterprise")
                    & Q(enterprise__isnull=False)
                    & Q(party_org__isnull=True)
                    & Q(department__isnull=True)
                )
                | (
                    Q(kind="department")
                    & Q(department__isnull=False)
                    & Q(party_org__isnull=True)
                    & Q(enterprise__isnull=True)
                )
                | (
                    Q(kind__in=["institute", "finance"])
                    & ~Q(external_name="")
                    & Q(party_org__isnull=True)
                    & Q(enterprise__isnull=True)
                    & Q(department__isnull=True)
                ),
                name="alliance_member_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["lead", "member", "instructor"]), name="alliance_member_role_valid"
            ),
            models.UniqueConstraint(
                fields=["alliance", "party_org"],
                condition=Q(party_org__isnull=False),
                name="alliance_member_unique_org",
            ),
            models.UniqueConstraint(
                fields=["alliance", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="alliance_member_unique_enterprise",
            ),
            models.UniqueConstraint(
                fields=["alliance", "department"],
                condition=Q(department__isnull=False),
                name="alliance_member_unique_department",
            ),
            models.UniqueConstraint(
                fields=["alliance", "external_name"],
                condition=~Q(external_name=""),
                name="alliance_member_unique_external",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        target = self.party_org or self.enterprise or self.department
        return str(target) if target else self.external_name
