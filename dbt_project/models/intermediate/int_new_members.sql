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

first_memberships as (

    select person_id, no_kpj, membership_date
    from current_memberships
    qualify row_number() over (partition by person_id order by membership_date asc, no_kpj desc) = 1

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
