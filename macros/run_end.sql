{#-
    on-run-end: say in words what the warn-severity test assert_posts_landed
    found, so a plain `dbt build` on an empty landing folder ends with the
    sentence, not only a test id among the warnings.
-#}
{% macro warn_when_no_posts_landed(results) %}
    {% for result in results %}
        {% if result.node.name == 'assert_posts_landed'
            and result.status in ('warn', 'fail') %}
            {{ log('WARNING: no posts landed: the engagement marts are empty (landing folder: '
                ~ env_var('LANDING_DIR', 'data/landing') ~ ')', info=True) }}
        {% endif %}
    {% endfor %}
{% endmacro %}
