package io.huitong.connectors.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What each department's system holds about the population: the answers to the 22 convenience queries (便民查询)
 * of seed 001, a few extras, and the two write transactions (social-security card loss report and un-freeze,
 * elderly-subsidy certification).
 *
 * <p>Reads are computed from the population's seed, so they are the same on every run; writes change in-memory
 * state that lasts until the simulator stops. Not thread-safe: the simulator calls it from its one event loop.
 */
public final class DepartmentRecords {
  private static final List<String> ID_ONLY = List.of("idNumber");
  private static final String CARD_NORMAL = "正常";
  private static final String CARD_LOST = "挂失";
  private static final String[] EMPLOYERS = {"格尔木昆仑建设有限公司", "青海察尔汗盐湖化工有限公司", "格尔木市人民医院",
      "青海柴达木物流有限公司", "格尔木市第一中学", "格尔木市黄河路街道办事处", "青海西部矿业运输有限公司",
      "南京长江机械制造有限公司", "苏州工业园区电子科技有限公司", "西宁高原食品有限公司"};
  private static final String[] HOSPITALS = {"格尔木市人民医院", "青海省人民医院", "西宁市第一人民医院",
      "格尔木市中医院", "南京鼓楼医院", "八一社区卫生服务站"};
  private static final String[] UNIVERSITIES = {"青海大学", "青海师范大学", "南京大学", "东南大学", "苏州大学", "青海民族大学"};
  private static final String[] MAJORS = {"计算机科学与技术", "临床医学", "会计学", "土木工程", "汉语言文学", "化学工程与工艺"};

  /** A query with the rule for who has such a record and how its fields are made. */
  private record Entry(DepartmentQuery query, Coverage coverage, Answer answer) {
  }

  /**
   * Who has a record: people of an age range, and of them a fixed share. Queries with the same key cover the same
   * people (every HRSS employee query covers the same employees).
   */
  private record Coverage(String key, int minAge, int maxAge, double share) {
  }

  @FunctionalInterface
  private interface Answer {
    void fill(Person person, SplittableRandom rng, Map<String, String> parameters, JsonObject out);
  }

  private final Population population;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, String> cardStatus = new HashMap<>();
  private final Map<String, LocalDate> subsidyCertified = new HashMap<>();
  private long receipts;

  public DepartmentRecords(Population population) {
    this.population = population;
    Coverage everyone = new Coverage("everyone", 0, 200, 1.0);
    Coverage employees = new Coverage("hrss/employee", 18, 60, 0.7);
    Coverage housingFund = new Coverage("housing-fund/account", 20, 60, 0.5);
    Coverage medical = new Coverage("medical-insurance", 0, 200, 0.9);
    add("education", "student-status", "中小学生学籍信息查询", List.of(1),
        new Coverage("education/student", 6, 18, 0.95), this::studentStatus);
    add("hrss", "work-injury-insurance", "工伤保险缴费信息查询", List.of(2, 16), employees, this::workInjuryInsurance);
    add("hrss", "unemployment-insurance", "失业保险缴费信息查询", List.of(3, 17), employees, this::unemploymentInsurance);
    add("public-security", "driving-licence-points", "驾驶证记分查询", List.of(4),
        new Coverage("public-security/driving-licence", 18, 70, 0.6), this::drivingLicencePoints);
    add("hrss", "personal-account", "职工个人账户明细查询", List.of(5), employees, this::personalAccount);
    add("hrss", "contribution-years", "职工个人缴费年限记录查询", List.of(6), employees, this::contributionYears);
    add("public-security", "id-card-progress", "身份证制证进度查询", List.of(7),
        new Coverage("public-security/id-card", 16, 200, 0.1), this::idCardProgress);
    add("housing-fund", "account", "公积金个人信息查询", List.of(8), housingFund, this::housingFundAccount);
    add("medical-insurance", "expenses", "医疗生育保险医疗费用明细信息", List.of(9),
        new Coverage("medical-insurance/expenses", 0, 200, 0.6), this::medicalExpenses);
    add("real-estate", "property-transactions", "房产合同交易查询", List.of(10),
        new Coverage("real-estate/owner", 25, 200, 0.4), this::propertyTransactions);
    add("medical-insurance", "contributions", "医疗生育保险缴费信息查询", List.of(11), medical, this::medicalContributions);
    add("medical-insurance", "insured-types", "医疗生育保险参保险种信息查询", List.of(12), medical, this::insuredTypes);
    add("housing-fund", "ledger", "公积金明细账", List.of(13), housingFund, this::housingFundLedger);
    add("housing-fund", "loan-repayments", "公积金个人还款明细查询", List.of(14),
        new Coverage("housing-fund/loan", 25, 60, 0.25), this::loanRepayments);
    add("hrss", "resident-pension", "城乡居民养老保险参保信息查询", List.of(15),
        new Coverage("hrss/resident-pension", 16, 200, 0.35), this::residentPension);
    add("hrss", "employment-certificate", "创业就业证查询打印", List.of(18),
        new Coverage("hrss/employment-certificate", 18, 60, 0.3), this::employmentCertificate);
    add("housing-fund", "deposit-certificate", "异地贷款职工住房公积金缴存使用证明打印", List.of(19), housingFund,
        this::depositCertificate);
    add("civil-affairs", "elderly-subsidy", "高龄补贴认证", List.of(20),
        new Coverage("civil-affairs/elderly", 70, 200, 0.95), this::elderlySubsidy);
    add("hrss", "pension-voucher", "养老缴费凭证打印", List.of(21), employees, this::pensionVoucher);
    add("hrss", "social-security-card", "社会保障卡挂失、解挂", List.of(22),
        new Coverage("hrss/card", 0, 200, 0.98), this::socialSecurityCard);
    entries.put("public-security/identity-verification", new Entry(new DepartmentQuery("public-security",
        "identity-verification", "身份核验", List.of(), List.of("idNumber", "name")), everyone, this::identityVerification));
    add("hrss", "social-insurance", "社会保险参保信息查询", List.of(), employees, this::socialInsurance);
    add("civil-affairs", "marriage-records", "婚姻登记信息查询", List.of(),
        new Coverage("civil-affairs/married", 22, 200, 0.7), this::marriageRecords);
    add("education", "degrees", "学历学位信息查询", List.of(),
        new Coverage("education/graduate", 23, 65, 0.35), this::degrees);
  }

  private void add(String department, String name, String title, List<Integer> seedItems, Coverage coverage,
                   Answer answer) {
    DepartmentQuery query = new DepartmentQuery(department, name, title, seedItems, ID_ONLY);
    entries.put(query.path(), new Entry(query, coverage, answer));
  }

  public Population population() {
    return population;
  }

  public List<DepartmentQuery> queries() {
    return entries.values().stream().map(Entry::query).toList();
  }

  /** The departments in the order their first query was declared. */
  public List<String> departments() {
    return queries().stream().map(DepartmentQuery::department).distinct().toList();
  }

  public Optional<DepartmentQuery> query(String department, String name) {
    return Optional.ofNullable(entries.get(department + "/" + name)).map(Entry::query);
  }

  /** Whether the department holds a record of this query for this person. */
  public boolean covers(DepartmentQuery query, Person person) {
    Coverage c = entries.get(query.path()).coverage();
    int age = person.age();
    return age >= c.minAge() && age <= c.maxAge() && population.share(person.index(), c.key().hashCode()) < c.share();
  }

  /**
   * The answer to a query with the request's parameters, or why there is none: a parameter missing, an ID number
   * malformed, no such person or no such record.
   */
  public JsonObject lookup(DepartmentQuery query, Map<String, String> parameters) {
    for (String name : query.parameters()) {
      String value = parameters.get(name);
      if (value == null || value.isBlank()) {
        throw new QueryException(QueryException.Kind.MISSING_PARAMETER, "missing parameter " + name);
      }
    }
    Person person = person(parameters.get("idNumber"));
    return answer(query, person, parameters).orElseThrow(() -> new QueryException(QueryException.Kind.NO_RECORD,
        "not found: no " + query.path() + " record for " + person.idNumber()));
  }

  /** The person with this ID number, or why there is none. */
  public Person person(String idNumber) {
    if (idNumber == null || idNumber.isBlank()) {
      throw new QueryException(QueryException.Kind.MISSING_PARAMETER, "missing parameter idNumber");
    }
    if (!ResidentIdNumber.isValid(idNumber)) {
      throw new QueryException(QueryException.Kind.INVALID_ID_NUMBER,
          "idNumber must be 17 digits and a GB 11643 check character");
    }
    return population.find(idNumber).orElseThrow(() -> new QueryException(QueryException.Kind.UNKNOWN_PERSON,
        "not found: no person with ID number " + idNumber));
  }

  /**
   * The answer to a query: {@code idNumber}, {@code name} and the query's own fields, or empty when the department
   * holds no such record for the person. {@code parameters} holds the request's parameters beyond {@code idNumber}.
   */
  public Optional<JsonObject> answer(DepartmentQuery query, Person person, Map<String, String> parameters) {
    if (!covers(query, person)) {
      return Optional.empty();
    }
    JsonObject out = new JsonObject().put("idNumber", person.idNumber());
    if (!query.parameters().contains("name")) {
      // A verification says only whether the given name matched, never the name on file.
      out.put("name", person.name());
    }
    entries.get(query.path()).answer().fill(person, population.random(person.index(), query.path().hashCode()),
        parameters, out);
    return Optional.of(out);
  }

  // ---- writes -------------------------------------------------------------------------------------------------

  /** The outcome of a write: the answer, or why it was refused (the card is already lost, say). */
  public record WriteResult(JsonObject answer, String refusal) {
    static WriteResult done(JsonObject answer) {
      return new WriteResult(answer, null);
    }

    static WriteResult refused(String why) {
      return new WriteResult(null, why);
    }

    public boolean refused() {
      return refusal != null;
    }
  }

  /** 社会保障卡挂失: refused when the person has no card or it is already reported lost. */
  public WriteResult reportCardLoss(Person person) {
    return changeCardStatus(person, CARD_NORMAL, CARD_LOST, "挂失");
  }

  /** 社会保障卡解挂: refused when the person has no card or it is not reported lost. */
  public WriteResult unfreezeCard(Person person) {
    return changeCardStatus(person, CARD_LOST, CARD_NORMAL, "解挂");
  }

  private WriteResult changeCardStatus(Person person, String from, String to, String action) {
    if (!covers(query("hrss", "social-security-card").orElseThrow(), person)) {
      return WriteResult.refused("no social-security card for " + person.idNumber());
    }
    String status = cardStatus.getOrDefault(person.idNumber(), CARD_NORMAL);
    if (!status.equals(from)) {
      return WriteResult.refused("the card's status is " + status + ", " + action + " needs " + from);
    }
    cardStatus.put(person.idNumber(), to);
    return WriteResult.done(receipt(person).put("action", action).put("cardStatus", to));
  }

  /** 高龄补贴认证: confirms the person is alive and receiving; refused for someone without a subsidy. */
  public WriteResult certifyElderlySubsidy(Person person, String bankCardNumber) {
    if (!covers(query("civil-affairs", "elderly-subsidy").orElseThrow(), person)) {
      return WriteResult.refused("no elderly subsidy registered for " + person.idNumber());
    }
    subsidyCertified.put(person.idNumber(), Population.AS_OF);
    return WriteResult.done(receipt(person).put("action", "高龄补贴认证").put("certifiedOn", Population.AS_OF.toString())
        .put("bankCardNumber", masked(bankCardNumber)).put("validUntil", Population.AS_OF.plusYears(1).toString()));
  }

  private JsonObject receipt(Person person) {
    receipts++;
    return new JsonObject().put("idNumber", person.idNumber()).put("receiptNumber", String.format("R%010d", receipts));
  }

  // ---- answers: one method per query --------------------------------------------------------------------------

  private void studentStatus(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    int age = p.age();
    String stage = age <= 12 ? "小学" : age <= 15 ? "初中" : "高中";
    int firstAge = age <= 12 ? 6 : age <= 15 ? 12 : 15;
    int grade = age - firstAge + 1;
    out.put("studentNumber", "G" + p.idNumber())
        .put("school", "格尔木市" + new String[] {"第一", "第二", "第三", "昆仑", "八一"}[rng.nextInt(5)] + stage)
        .put("stage", stage).put("grade", grade).put("className", (1 + rng.nextInt(8)) + "班")
        .put("enrolledOn", LocalDate.of(Population.AS_OF.getYear() - grade, 9, 1).toString()).put("status", "在读");
  }

  private void workInjuryInsurance(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    BigDecimal base = contributionBase(p);
    out.put("employer", employer(p)).put("insuredSince", insuredSince(p).toString())
        .put("status", "参保缴费").put("records", monthly((m, nth) -> new JsonObject().put("period", m.toString())
            .put("base", base).put("employerAmount", money(base.doubleValue() * 0.004)).put("status", "已到账")));
  }

  private void unemploymentInsurance(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    BigDecimal base = contributionBase(p);
    out.put("employer", employer(p)).put("insuredSince", insuredSince(p).toString())
        .put("status", "参保缴费").put("records", monthly((m, nth) -> new JsonObject().put("period", m.toString())
            .put("base", base).put("personalAmount", money(base.doubleValue() * 0.005))
            .put("employerAmount", money(base.doubleValue() * 0.005))));
  }

  private void drivingLicencePoints(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    JsonArray violations = new JsonArray();
    int deducted = 0;
    for (int i = rng.nextInt(4); i > 0; i--) {
      int points = new int[] {1, 3, 6}[rng.nextInt(3)];
      deducted += points;
      violations.add(new JsonObject().put("date", Population.AS_OF.minusDays(1 + rng.nextInt(300)).toString())
          .put("location", p.region().name() + new String[] {"昆仑路", "黄河路", "G109国道"}[rng.nextInt(3)])
          .put("description", new String[] {"机动车违反禁令标志指示", "超速行驶未达20%", "驾驶时拨打接听手持电话"}[rng.nextInt(3)])
          .put("points", points));
    }
    deducted = Math.min(deducted, 12);
    LocalDate firstIssued = p.birthDate().plusYears(18 + rng.nextInt(Math.max(1, p.age() - 17)));
    LocalDate cycleStart = firstIssued.withYear(firstIssued.isAfter(Population.AS_OF.withYear(firstIssued.getYear()))
        ? Population.AS_OF.getYear() - 1 : Population.AS_OF.getYear());
    out.put("licenceNumber", p.idNumber()).put("vehicleClass", rng.nextInt(5) == 0 ? "B2" : "C1")
        .put("firstIssued", firstIssued.toString()).put("cycleStart", cycleStart.toString())
        .put("cycleEnd", cycleStart.plusYears(1).minusDays(1).toString())
        .put("pointsDeducted", deducted).put("pointsRemaining", 12 - deducted).put("violations", violations);
  }

  private void personalAccount(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    BigDecimal monthly = money(contributionBase(p).doubleValue() * 0.08);
    BigDecimal opening = money(1000 + rng.nextInt(80_000));
    out.put("accountNumber", "YL" + p.idNumber().substring(6, 17)).put("openingBalance", opening)
        .put("balance", opening.add(monthly.multiply(BigDecimal.valueOf(12))))
        .put("records", monthly((m, nth) -> new JsonObject().put("period", m.toString()).put("item", "个人缴纳")
            .put("amount", monthly).put("balance", opening.add(monthly.multiply(BigDecimal.valueOf(nth))))));
  }

  private void contributionYears(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    LocalDate since = insuredSince(p);
    JsonArray years = new JsonArray();
    int total = 0;
    for (int year = since.getYear(); year < Population.AS_OF.getYear(); year++) {
      int months = year == since.getYear() ? 13 - since.getMonthValue() : 12;
      total += months;
      years.add(new JsonObject().put("year", year).put("months", months).put("employer", employer(p)));
    }
    out.put("firstContribution", since.toString()).put("totalMonths", total)
        .put("records", years);
  }

  private void idCardProgress(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    LocalDate applied = Population.AS_OF.minusDays(1 + rng.nextInt(40));
    String[] stages = {"受理", "审核", "制证", "发证"};
    int reached = rng.nextInt(stages.length);
    JsonArray steps = new JsonArray();
    for (int i = 0; i <= reached; i++) {
      steps.add(new JsonObject().put("stage", stages[i]).put("date", applied.plusDays(i * 5L).toString())
          .put("office", i == 2 ? "青海省公安厅制证中心" : p.region().name() + "公安局户政大厅"));
    }
    out.put("applicationNumber", "SF" + applied.toString().replace("-", "")
            + String.format("%06d", p.index() % 1_000_000))
        .put("appliedOn", applied.toString()).put("reason", rng.nextBoolean() ? "有效期满换领" : "损坏换领")
        .put("stage", stages[reached]).put("steps", steps);
  }

  private void housingFundAccount(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    out.put("accountNumber", housingFundAccountNumber(p)).put("employer", employer(p))
        .put("status", "正常").put("openedOn", insuredSince(p).toString())
        .put("depositRate", new BigDecimal("0.12")).put("monthlyDeposit", housingFundMonthly(p))
        .put("balance", housingFundBalance(p));
  }

  private void housingFundLedger(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    BigDecimal monthly = housingFundMonthly(p);
    BigDecimal opening = housingFundBalance(p).subtract(monthly.multiply(BigDecimal.valueOf(12)));
    out.put("accountNumber", housingFundAccountNumber(p)).put("records", monthly((m, nth) -> new JsonObject()
        .put("date", m.atDay(15).toString()).put("summary", "汇缴").put("credit", monthly).put("debit", money(0))
        .put("balance", opening.add(monthly.multiply(BigDecimal.valueOf(nth))))));
  }

  private void loanRepayments(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    BigDecimal amount = money(100_000 + rng.nextInt(50) * 10_000);
    int term = 120 + 60 * rng.nextInt(5);
    BigDecimal principal = amount.divide(BigDecimal.valueOf(term), 2, RoundingMode.HALF_UP);
    BigDecimal before = amount.subtract(principal.multiply(BigDecimal.valueOf(rng.nextInt(60))));
    out.put("loanNumber", "GJJDK" + p.idNumber().substring(6, 14) + p.index()).put("loanAmount", amount)
        .put("termMonths", term).put("outstanding", before.subtract(principal.multiply(BigDecimal.valueOf(12))))
        .put("records", monthly((m, nth) -> {
          BigDecimal remaining = before.subtract(principal.multiply(BigDecimal.valueOf(nth)));
          return new JsonObject().put("period", m.toString()).put("principal", principal)
              .put("interest", money(remaining.doubleValue() * 0.031 / 12)).put("remaining", remaining);
        }));
  }

  private void depositCertificate(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    LocalDate since = insuredSince(p);
    out.put("certificateNumber", "GJJZM" + Population.AS_OF.getYear() + String.format("%07d", p.index()))
        .put("accountNumber", housingFundAccountNumber(p)).put("depositedSince", since.toString())
        .put("monthsDeposited", (int) ChronoUnit.MONTHS.between(since, Population.AS_OF))
        .put("balance", housingFundBalance(p)).put("loansUsed", 0).put("issuedOn", Population.AS_OF.toString())
        .put("issuer", p.region().name() + "住房公积金管理中心");
  }

  private void medicalExpenses(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    JsonArray records = new JsonArray();
    for (int i = 1 + rng.nextInt(6); i > 0; i--) {
      boolean inpatient = rng.nextInt(6) == 0;
      double total = inpatient ? 3000 + rng.nextInt(30_000) : 50 + rng.nextInt(800);
      double fund = total * (inpatient ? 0.75 : 0.5);
      records.add(new JsonObject().put("date", Population.AS_OF.minusDays(1 + rng.nextInt(360)).toString())
          .put("hospital", HOSPITALS[rng.nextInt(HOSPITALS.length)]).put("category", inpatient ? "住院" : "门诊")
          .put("total", money(total)).put("fundPaid", money(fund)).put("selfPaid", money(total - fund)));
    }
    out.put("records", records);
  }

  private void propertyTransactions(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    JsonArray records = new JsonArray();
    for (int i = 1 + rng.nextInt(2); i > 0; i--) {
      double area = 50 + rng.nextInt(100) + rng.nextInt(100) / 100.0;
      records.add(new JsonObject().put("contractNumber", "FC" + (2010 + rng.nextInt(15)) + String.format("%08d", rng.nextInt(100_000_000)))
          .put("address", p.region().name() + new String[] {"昆仑花园", "盐湖家园", "江源小区"}[rng.nextInt(3)]
              + (1 + rng.nextInt(30)) + "号楼" + (101 + rng.nextInt(18) * 100) + "室")
          .put("area", money(area)).put("price", money(area * (3000 + rng.nextInt(9000))))
          .put("signedOn", Population.AS_OF.minusDays(30 + rng.nextInt(5000)).toString())
          .put("registrationStatus", rng.nextInt(10) == 0 ? "办理中" : "已登记"));
    }
    out.put("records", records);
  }

  private void medicalContributions(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    boolean employee = employed(p);
    BigDecimal amount = employee ? money(contributionBase(p).doubleValue() * 0.02) : money(380);
    out.put("insuranceType", employee ? "职工基本医疗保险" : "城乡居民基本医疗保险");
    out.put("records", employee
        ? monthly((m, nth) -> new JsonObject().put("period", m.toString()).put("amount", amount).put("status", "已到账"))
        : new JsonArray().add(new JsonObject().put("period", String.valueOf(Population.AS_OF.getYear() - 1))
            .put("amount", amount).put("status", "已到账")));
  }

  private void insuredTypes(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    JsonArray types = new JsonArray();
    if (employed(p)) {
      types.add(insured("职工基本医疗保险", insuredSince(p)));
      types.add(insured("生育保险", insuredSince(p)));
    } else {
      types.add(insured("城乡居民基本医疗保险", p.birthDate().plusYears(Math.min(p.age(), 18))));
    }
    out.put("records", types);
  }

  private static JsonObject insured(String type, LocalDate since) {
    return new JsonObject().put("type", type).put("since", since.toString()).put("status", "参保缴费");
  }

  private void residentPension(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    int grade = new int[] {100, 200, 300, 500, 1000}[rng.nextInt(5)];
    LocalDate enrolled = p.birthDate().plusYears(Math.max(16, p.age() - 15));
    boolean drawing = p.age() >= 60;
    out.put("enrolledOn", enrolled.toString()).put("contributionGrade", grade)
        .put("totalPaid", money(grade * Math.max(1, Math.min(15, p.age() - 16))))
        .put("status", drawing ? "待遇领取" : "参保缴费").put("monthlyBenefit", money(drawing ? 200 + rng.nextInt(300) : 0));
  }

  private void employmentCertificate(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    String[] statuses = {"就业", "失业", "自主创业"};
    out.put("certificateNumber", p.region().code() + String.format("%010d", p.index()))
        .put("kind", "就业创业证").put("issuedOn", Population.AS_OF.minusDays(30 + rng.nextInt(3000)).toString())
        .put("issuer", p.region().name() + "人力资源和社会保障局").put("employmentStatus", statuses[rng.nextInt(3)]);
  }

  private void elderlySubsidy(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    LocalDate certified = subsidyCertified.getOrDefault(p.idNumber(),
        Population.AS_OF.minusDays(rng.nextInt(500)));
    int age = p.age();
    out.put("registrationNumber", "GLBT" + p.region().code() + String.format("%07d", p.index()))
        .put("age", age).put("monthlySubsidy", money(age >= 100 ? 500 : age >= 90 ? 200 : age >= 80 ? 100 : 50))
        .put("lastCertifiedOn", certified.toString()).put("nextCertificationDue", certified.plusYears(1).toString())
        .put("status", certified.plusYears(1).isBefore(Population.AS_OF) ? "待认证" : "正常发放");
  }

  private void pensionVoucher(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    BigDecimal base = contributionBase(p);
    BigDecimal personal = money(base.doubleValue() * 0.08);
    BigDecimal employer = money(base.doubleValue() * 0.16);
    int year = Population.AS_OF.getYear() - 1;
    out.put("voucherNumber", "YLPZ" + year + String.format("%08d", p.index()))
        .put("year", year).put("employer", employer(p)).put("months", 12)
        .put("personalTotal", personal.multiply(BigDecimal.valueOf(12)))
        .put("employerTotal", employer.multiply(BigDecimal.valueOf(12)))
        .put("records", monthly((m, nth) -> new JsonObject().put("period", m.toString()).put("base", base)
            .put("personalAmount", personal).put("employerAmount", employer)));
  }

  private void socialSecurityCard(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    out.put("cardNumber", "Q" + String.format("%08d", p.index()))
        .put("bank", new String[] {"中国工商银行", "中国建设银行", "中国农业银行", "青海银行"}[rng.nextInt(4)])
        .put("issuedOn", p.birthDate().plusYears(Math.min(p.age(), 18)).toString())
        .put("status", cardStatus.getOrDefault(p.idNumber(), CARD_NORMAL));
  }

  private void identityVerification(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    out.put("matched", p.name().equals(parameters.get("name")));
  }

  private void socialInsurance(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    LocalDate since = insuredSince(p);
    out.put("employer", employer(p)).put("records", new JsonArray()
        .add(insured("企业职工基本养老保险", since)).add(insured("失业保险", since))
        .add(insured("工伤保险", since)).add(insured("职工基本医疗保险", since)));
  }

  private void marriageRecords(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    JsonArray records = new JsonArray();
    LocalDate married = p.birthDate().plusYears(22 + rng.nextInt(Math.max(1, Math.min(p.age() - 21, 15))));
    records.add(new JsonObject().put("kind", "结婚登记").put("registeredOn", married.toString())
        .put("spouseName", Population.spouseName(rng)).put("office", p.region().name() + "民政局婚姻登记处"));
    out.put("records", records);
  }

  private void degrees(Person p, SplittableRandom rng, Map<String, String> parameters, JsonObject out) {
    LocalDate graduated = LocalDate.of(p.birthDate().getYear() + 22, 7, 1);
    out.put("records", new JsonArray().add(new JsonObject().put("degree", "学士")
        .put("major", MAJORS[rng.nextInt(MAJORS.length)]).put("university", UNIVERSITIES[rng.nextInt(UNIVERSITIES.length)])
        .put("graduatedOn", graduated.toString())
        .put("certificateNumber", "1" + String.format("%04d", rng.nextInt(10_000)) + graduated.getYear()
            + String.format("%08d", p.index()))));
  }

  // ---- facts shared by several departments, stable per person -------------------------------------------------

  private boolean employed(Person p) {
    return covers(query("hrss", "work-injury-insurance").orElseThrow(), p);
  }

  private String employer(Person p) {
    return EMPLOYERS[population.random(p.index(), 1).nextInt(EMPLOYERS.length)];
  }

  /** The monthly contribution base (缴费基数), 3,000 to 12,000 yuan in steps of 100. */
  private BigDecimal contributionBase(Person p) {
    return money(3000 + 100 * population.random(p.index(), 2).nextInt(91));
  }

  private LocalDate insuredSince(Person p) {
    int yearsWorked = population.random(p.index(), 3).nextInt(Math.max(1, p.age() - 17));
    return YearMonth.from(Population.AS_OF).minusYears(yearsWorked).minusMonths(1 + p.index() % 11).atDay(1);
  }

  private static String housingFundAccountNumber(Person p) {
    return "GJJ" + p.region().code() + String.format("%09d", p.index());
  }

  private BigDecimal housingFundMonthly(Person p) {
    return money(contributionBase(p).doubleValue() * 0.24);
  }

  private BigDecimal housingFundBalance(Person p) {
    long months = ChronoUnit.MONTHS.between(insuredSince(p), Population.AS_OF);
    return housingFundMonthly(p).multiply(BigDecimal.valueOf(months));
  }

  @FunctionalInterface
  private interface MonthlyRecord {
    /** The record of {@code month}, the {@code nth} (1 to 12) of the year. */
    JsonObject of(YearMonth month, int nth);
  }

  /** One record per month of the year before {@link Population#AS_OF}. */
  private static JsonArray monthly(MonthlyRecord record) {
    JsonArray records = new JsonArray();
    YearMonth first = YearMonth.from(Population.AS_OF).minusMonths(12);
    for (int i = 0; i < 12; i++) {
      records.add(record.of(first.plusMonths(i), i + 1));
    }
    return records;
  }

  private static String masked(String number) {
    return number.length() <= 8 ? "****" : number.substring(0, 4) + "*".repeat(number.length() - 8)
        + number.substring(number.length() - 4);
  }

  /** Yuan with two decimals, written without an exponent in JSON and XML alike. */
  static BigDecimal money(double yuan) {
    return BigDecimal.valueOf(yuan).setScale(2, RoundingMode.HALF_UP);
  }
}
