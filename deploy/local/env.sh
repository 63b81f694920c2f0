# Source this (`source deploy/local/env.sh`) to point the services and tests at the servers
# started by deploy/local/start.sh. Values already set in the environment win.
export ConnectionStrings__postgres="${ConnectionStrings__postgres:-Host=127.0.0.1;Port=5432;Username=moderation;Password=moderation;Database=moderation}"
export ConnectionStrings__redis="${ConnectionStrings__redis:-127.0.0.1:6379}"
export ConnectionStrings__rabbitmq="${ConnectionStrings__rabbitmq:-amqp://guest:guest@127.0.0.1:5672/}"
export MODERATION_RABBITMQ_MANAGEMENT="${MODERATION_RABBITMQ_MANAGEMENT:-http://guest:guest@127.0.0.1:15672}"
