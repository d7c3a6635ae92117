{%- macro engagement_count(posts, definitions) -%}
    {#-
        A post's engagements by its platform's benchmark numerator: the sum of
        the interaction counts its row of seed engagement_definitions includes
        (`counts_<interaction>`), missing counts as 0; null when the platform has
        no definition. `posts` and `definitions` are the two relations' aliases.
    -#}
    case
        when {{ definitions }}.platform is null then null else
        {%- for interaction in ['reactions', 'likes', 'comments', 'shares', 'reposts', 'replies'] %}
            case
                when {{ definitions }}.counts_{{ interaction }} then coalesce({{ posts }}.{{ interaction }}, 0)
                else 0
            end{{ " +" if not loop.last }}
        {%- endfor %}
    end
{%- endmacro -%}
