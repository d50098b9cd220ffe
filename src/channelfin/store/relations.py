"""Reseller links and the relations between partners on DynamoDB (the partners table).

  LINK#<publisher>.<reseller> / LINK        a reseller link  gsi1: PUBLISHER#<p>#LINKS / <reseller>
  LINK#<publisher>.<reseller> / RESELLER    its copy         gsi1: RESELLER#<r>#LINKS / <publisher>
  RELATION#<publisher> / PARTNER#<partner>  a relation       gsi1: PUBLISHER#<p>#RELATED / <partner>

Access patterns: a link by id (GetItem), a publisher's or a reseller's links (Query gsi1, status
filtered), whether a partner is related to a publisher (GetItem), the partners of a role related
to a publisher (Query gsi1, role filtered). The link and its copy are written together,
conditioned on the link's version; an accepted link writes its relation in the same transaction
(an accepted enrolment too: `store.programs`). A relation is written by adding its source, so
it is the same item whichever consent came first, and writing it twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from channelfin.domain.errors import Conflict
from channelfin.domain.partners import PartnerRole
from channelfin.domain.relations import ConsentStatus, Relation, ResellerLink
from channelfin.services.paging import Page, PageRequest
from channelfin.store import reads
from channelfin.store.dynamo import PartnersTableItem, TableMeta, connection, put_with_copies, query_page

KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")


class RelationRecord(PartnersTableItem):
    """Reseller links (and their reseller copies) and relations."""

    class Meta(TableMeta):
        table_name = "partners"

    publisher_id = UnicodeAttribute(null=True)

    # link
    reseller_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    requested_by_partner = UnicodeAttribute(null=True)
    requested_by = UnicodeAttribute(null=True)
    requested_at = UTCDateTimeAttribute(null=True)
    answered_by = UnicodeAttribute(null=True)
    answered_at = UTCDateTimeAttribute(null=True)
    version = NumberAttribute(null=True)

    # relation
    partner_id = UnicodeAttribute(null=True)
    partner_roles = UnicodeSetAttribute(null=True)
    sources = UnicodeSetAttribute(null=True)  # "LINK", "ENROLLMENT#<id>"
    since = UTCDateTimeAttribute(null=True)


def _link_records(link: ResellerLink) -> tuple[RelationRecord, RelationRecord]:
    attributes: dict[str, Any] = dict(
        publisher_id=link.publisher_id,
        reseller_id=link.reseller_id,
        status=link.status.value,
        requested_by_partner=link.requested_by_partner,
        requested_by=link.requested_by,
        requested_at=link.requested_at,
        answered_by=link.answered_by,
        answered_at=link.answered_at,
        version=link.version,
    )
    pk = f"LINK#{link.id}"
    main = RelationRecord(
        pk=pk, sk="LINK", gsi1pk=f"PUBLISHER#{link.publisher_id}#LINKS", gsi1sk=link.reseller_id, **attributes
    )
    copy = RelationRecord(
        pk=pk, sk="RESELLER", gsi1pk=f"RESELLER#{link.reseller_id}#LINKS", gsi1sk=link.publisher_id, **attributes
    )
    return main, copy


def _link(record: Any) -> ResellerLink:
    return ResellerLink(
        id=record.pk.removeprefix("LINK#"),
        publisher_id=record.publisher_id,
        reseller_id=record.reseller_id,
        status=ConsentStatus(record.status),
        requested_by_partner=record.requested_by_partner,
        requested_by=record.requested_by,
        requested_at=record.requested_at,
        answered_by=record.answered_by,
        answered_at=record.answered_at,
        version=int(record.version),
    )


def relation_update(tx: TransactWrite, relation: Relation) -> None:
    """Write the relation in `tx`: its source added, the first time it began kept."""
    record = RelationRecord(pk=f"RELATION#{relation.publisher_id}", sk=f"PARTNER#{relation.partner_id}")
    tx.update(
        record,
        actions=[
            RelationRecord.gsi1pk.set(f"PUBLISHER#{relation.publisher_id}#RELATED"),
            RelationRecord.gsi1sk.set(relation.partner_id),
            RelationRecord.publisher_id.set(relation.publisher_id),
            RelationRecord.partner_id.set(relation.partner_id),
            RelationRecord.partner_roles.set({r.value for r in relation.partner_roles}),
            RelationRecord.sources.add({relation.source}),
            RelationRecord.since.set(RelationRecord.since | relation.since),
        ],
    )


class DynamoRelationRepository:
    def add_link(self, link: ResellerLink) -> None:
        main, copy = _link_records(link)
        put_with_copies(main, RelationRecord.pk.does_not_exist(), [copy], "these partners have a link already")

    def save_link(self, link: ResellerLink, *, expected_version: int, relation: Relation | None = None) -> None:
        main, copy = _link_records(link)
        try:
            with TransactWrite(connection=connection(RelationRecord)) as tx:
                tx.save(main, condition=RelationRecord.version == expected_version)
                tx.save(copy)
                if relation is not None:
                    relation_update(tx, relation)
        except TransactWriteError as exc:
            raise Conflict("the link was changed by someone else; read it again") from exc

    def get_link(self, link_id: str) -> ResellerLink | None:
        found = reads.get(RelationRecord, f"LINK#{link_id}", "LINK")
        return _link(found) if found else None

    def links_of(
        self, partner_id: str, *, as_reseller: bool, status: ConsentStatus | None, page: PageRequest
    ) -> Page[ResellerLink]:
        side = "RESELLER" if as_reseller else "PUBLISHER"
        return query_page(
            RelationRecord.gsi1,
            f"{side}#{partner_id}#LINKS",
            key_names=KEYS,
            page=page,
            to_domain=_link,
            newest_first=False,
            filter_condition=(RelationRecord.status == status.value) if status else None,
        )

    def related(self, publisher_id: str, partner_id: str) -> bool:
        return reads.get(RelationRecord, f"RELATION#{publisher_id}", f"PARTNER#{partner_id}") is not None

    def related_partners(self, publisher_id: str, *, role: PartnerRole, page: PageRequest) -> Page[str]:
        return query_page(
            RelationRecord.gsi1,
            f"PUBLISHER#{publisher_id}#RELATED",
            key_names=KEYS,
            page=page,
            to_domain=lambda record: str(record.partner_id),
            newest_first=False,
            filter_condition=RelationRecord.partner_roles.contains(role.value),
        )
