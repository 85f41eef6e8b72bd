/*
 * A Kafka cluster on loopback for sluice-bridge's tests: librdkafka's mock cluster (rdkafka_mock.h).
 *
 *   mock-broker <broker count> [<topic> <partitions>]...
 *
 * Creates the topics, prints the bootstrap servers as one line on stdout, then reads fault-injection
 * commands on stdin, one per line, and answers each with one line, "ok" or "error <reason>":
 *
 *   down <broker id|-1>            disconnect the broker(s) and refuse new connections
 *   up <broker id|-1>              accept connections again
 *   rtt <broker id|-1> <ms>        delay every response
 *   topic <name> <partitions>      create a topic
 *   fail <api key> <error code> <count>   fail the next <count> requests of that type (cluster-wide)
 *
 * Exits 0 on SIGTERM, SIGINT or end of stdin (so it never outlives the test that started it).
 */
#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stopping = 0;
static void on_signal(int sig) { (void)sig; stopping = 1; }

static const char *run(rd_kafka_mock_cluster_t *mc, char *line) {
  char name[256];
  int a, b, c;
  rd_kafka_resp_err_t err;
  if (sscanf(line, "down %d", &a) == 1) err = rd_kafka_mock_broker_set_down(mc, a);
  else if (sscanf(line, "up %d", &a) == 1) err = rd_kafka_mock_broker_set_up(mc, a);
  else if (sscanf(line, "rtt %d %d", &a, &b) == 2) err = rd_kafka_mock_broker_set_rtt(mc, a, b);
  else if (sscanf(line, "topic %255s %d", name, &a) == 2) err = rd_kafka_mock_topic_create(mc, name, a, 1);
  else if (sscanf(line, "fail %d %d %d", &a, &b, &c) == 3) {
    rd_kafka_resp_err_t *errs = calloc((size_t)c, sizeof *errs);
    for (int i = 0; i < c; i++) errs[i] = (rd_kafka_resp_err_t)b;
    rd_kafka_mock_push_request_errors_array(mc, (int16_t)a, (size_t)c, errs);
    free(errs);
    err = RD_KAFKA_RESP_ERR_NO_ERROR;
  } else return "unknown command";
  return err == RD_KAFKA_RESP_ERR_NO_ERROR ? NULL : rd_kafka_err2str(err);
}

int main(int argc, char **argv) {
  if (argc < 2 || argc % 2 != 0) {
    fprintf(stderr, "usage: %s <broker count> [<topic> <partitions>]...\n", argv[0]);
    return 2;
  }
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (rk == NULL) {
    fprintf(stderr, "rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, atoi(argv[1]));
  if (mc == NULL) {
    fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
    return 1;
  }
  for (int i = 2; i + 1 < argc; i += 2) {
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mc, argv[i], atoi(argv[i + 1]), 1);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      fprintf(stderr, "topic %s: %s\n", argv[i], rd_kafka_err2str(err));
      return 1;
    }
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: a signal interrupts the blocking read below */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
  fflush(stdout);

  char line[1024];
  while (!stopping) {
    if (fgets(line, sizeof line, stdin) == NULL) {
      if (errno == EINTR && !stopping) { clearerr(stdin); continue; }
      break;
    }
    const char *problem = run(mc, line);
    if (problem == NULL) printf("ok\n");
    else printf("error %s\n", problem);
    fflush(stdout);
  }
  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
