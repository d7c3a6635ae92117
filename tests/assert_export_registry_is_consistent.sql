-- The registry of export kinds is consistent: every staged column is a column
-- of its kind's staging contract, every check is known and applies to the
-- column's value type, every derived column names a raw column of its kind,
-- and every kind can be recognised (it has a required column).
{{ config(
    severity='error',
    meta={'steward_action': 'Correct the row named in seeds/config/export_columns.csv'
        ' (see the seed descriptions in the docs site).'}
) }}

with columns as (
    select
        c.*,
        k.entity
    from {{ ref('export_columns') }} as c
    inner join {{ ref('export_kinds') }} as k
        on c.export_kind = k.export_kind
),

checks as (
    select
        export_kind,
        canonical_column,
        value_type,
        trim(check_name) as check_name
    from (
        select
            export_kind,
            canonical_column,
            value_type,
            {{ unnest_list(split_text("coalesce(checks, '')", ';')) }} as check_name
        from columns
    ) as split_checks
    where trim(check_name) <> ''
),

problems as (
    select
        columns.export_kind,
        columns.canonical_column,
        'staged as ' || columns.staged_as || ', not a column of the ' || columns.entity
        || ' contract' as problem
    from columns
    left join {{ ref('staging_columns') }} as s
        on columns.entity = s.entity and columns.staged_as = s.column_name
    where columns.staged_as is not null and s.column_name is null
    union all
    select
        export_kind,
        canonical_column,
        'check ' || check_name || ' does not apply to ' || value_type as problem
    from checks
    where
        not (
            check_name in ('not_blank', 'parses')
            or (
                check_name in ('non_negative', 'whole', 'at_most_1e9')
                and value_type in ('count', 'decimal', 'percent')
            )
            or (
                check_name in ('not_before_platform', 'not_after_export', 'within_start_month')
                and value_type in ('local_datetime', 'local_date', 'utc_datetime')
            )
            or (check_name = 'matches_ad_account' and value_type = 'text')
        )
    union all
    select
        d.export_kind,
        d.canonical_column,
        'derived from ' || d.derived_from || ', which is not a raw column of the kind' as problem
    from columns as d
    left join columns as r
        on d.export_kind = r.export_kind and d.derived_from = r.canonical_column
    where d.derived_from is not null and r.canonical_column is null
    union all
    select
        k.export_kind,
        null as canonical_column,
        'no required column: files of this kind cannot be recognised' as problem
    from {{ ref('export_kinds') }} as k
    where not exists (
        select 1 from columns as c
        where c.export_kind = k.export_kind and c.is_required
    )
)

select * from problems
