"""factory_boy factories for the organisation graph. Valid USCC codes come from a counter."""

import factory

from redchain.core import uscc
from redchain.orgs import models


def _uscc(n: int) -> str:
    return uscc.make(f"91440100MA{n:07d}")


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Zone
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试开发区{n}")
    code = factory.Sequence(lambda n: f"zone-{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Department

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"测试局{n}")


class IndustryChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IndustryChain

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"产业链{n}")
    code = factory.Sequence(lambda n: f"chain-{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Enterprise

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.Sequence(_uscc)


class PartyOrgFactory(factory.django.DjangoModelFactory):
    """Builds through the service so path and depth are right."""

    class Meta:
        model = models.PartyOrg

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"第{n}党支部")
    kind = models.PartyOrg.Kind.BRANCH

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from redchain.orgs.services import party_org_create

        return party_org_create(actor=None, **kwargs)


class PartyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PartyMember

    org = factory.SubFactory(PartyOrgFactory)
    zone = factory.SelfAttribute("org.zone")
    name = factory.Sequence(lambda n: f"党员{n}")
