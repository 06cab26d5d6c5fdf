-- People whose earliest TGL_KEPESERTAAN falls in a coverage month, in the regency and sector of that
-- membership at the end of the month (or, if no version of it was known by then, its first version).
with versions as (

    select * from {{ ref('int_membership_versions') }}

),

current_memberships as (

    select versions.*
    from {{ ref('int_membership_states') }} as states
    inner join versions
        on versions.no_kpj = states.no_kpj
        and versions.version_number = states.version_number
    where {{ is_as_of_month('states.month') }}

),

-- Each person's earliest membership (ties: the larger NO_KPJ): arg_max in a hash aggregation, which
-- spills within DuckDB's memory limit, rather than a window's sort by person. The key's first part grows
-- as the date gets earlier.
earliest as (

    select
        person_id,
        arg_max(
            { 'no_kpj': no_kpj, 'membership_date': membership_date },
            (date '1900-01-01' - membership_date, no_kpj)
        ) as membership,
    from current_memberships
    group by person_id

),

first_memberships as (

    select
        earliest.person_id,
        struct_extract(earliest.membership, 'no_kpj') as no_kpj,
        struct_extract(earliest.membership, 'membership_date') as membership_date,
    from earliest

),

points as (

    select * from {{ ref('int_coverage_points') }}

),

states as (

    select * from {{ ref('int_membership_states') }}

),

first_versions as (

    select * from versions
    where version_number = 1

)

select
    points.month,
    first_memberships.person_id,
    coalesce(state_versions.regency_code, first_versions.regency_code) as regency_code,
    coalesce(state_versions.sector, first_versions.sector) as sector,
from first_memberships
inner join points
    on cast(date_trunc('month', first_memberships.membership_date) as date) = points.month
left join states
    on states.no_kpj = first_memberships.no_kpj
    and states.month = points.month
left join versions as state_versions
    on state_versions.no_kpj = states.no_kpj
    and state_versions.version_number = states.version_number
left join first_versions
    on first_versions.no_kpj = first_memberships.no_kpj
