package io.huitong.connectors.simulator;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A generated population, the same for the same seed and size: person {@code i} is computed from the seed and
 * {@code i} alone, so nothing is held in memory and a population of any size is ready at once.
 *
 * <p>The index is encoded in the ID number so a lookup by ID number is arithmetic, not a search: the birth day is
 * {@code (i mod DAYS) × STRIDE mod DAYS} days after {@link #FIRST_BIRTH} (a permutation of the days, so birth dates
 * spread evenly over all ages) and the 3-digit sequence is {@code 2 × (i div DAYS)} plus one for a man. Region and
 * gender come from the seed, so a lookup recomputes the person and compares the whole number.
 */
public final class Population {
  /** The day every answer is computed for: ages, periods and balances do not move with the clock. */
  public static final LocalDate AS_OF = LocalDate.of(2025, 1, 1);
  static final LocalDate FIRST_BIRTH = LocalDate.of(1935, 1, 1);
  private static final int DAYS = (int) ChronoUnit.DAYS.between(FIRST_BIRTH, LocalDate.of(2019, 1, 1));
  private static final int STRIDE = 7919;
  private static final int STRIDE_INVERSE = BigInteger.valueOf(STRIDE).modInverse(BigInteger.valueOf(DAYS)).intValue();
  /** 500 even sequence numbers per birth day and region-independent index. */
  public static final int MAX_SIZE = DAYS * 500;
  private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.BASIC_ISO_DATE;

  private static final List<Region> REGIONS = List.of(
      new Region("632801", "青海省海西蒙古族藏族自治州格尔木市"),
      new Region("632802", "青海省海西蒙古族藏族自治州德令哈市"),
      new Region("630102", "青海省西宁市城东区"),
      new Region("630103", "青海省西宁市城中区"),
      new Region("630104", "青海省西宁市城西区"),
      new Region("630105", "青海省西宁市城北区"),
      new Region("632121", "青海省海东市平安区"),
      new Region("320102", "江苏省南京市玄武区"),
      new Region("320106", "江苏省南京市鼓楼区"),
      new Region("320505", "江苏省苏州市虎丘区"),
      new Region("320205", "江苏省无锡市锡山区"),
      new Region("321002", "江苏省扬州市广陵区"));
  private static final String[] SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
      + "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").split("");
  private static final String[] GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建文斌宇浩凯"
      + "晨欣怡梓涵子轩雨婷嘉琪海波国庆志强卫东春梅丹云霞博文思远佳慧昆仑格桑卓玛").split("");
  private static final String[] STREETS = {"黄河路", "昆仑路", "柴达木路", "八一路", "江源路", "盐湖路", "中山路",
      "人民路", "建设路", "解放路", "长江路", "胜利路"};
  private static final String[] PHONE_PREFIXES = {"130", "131", "133", "135", "136", "137", "138", "139", "150",
      "151", "152", "155", "157", "158", "159", "166", "177", "180", "181", "186", "187", "188", "189", "199"};

  private final long seed;
  private final int size;

  public Population(long seed, int size) {
    if (size < 0 || size > MAX_SIZE) {
      throw new IllegalArgumentException("a population has 0 to " + MAX_SIZE + " people, not " + size);
    }
    this.seed = seed;
    this.size = size;
  }

  public long seed() {
    return seed;
  }

  public int size() {
    return size;
  }

  /** Person {@code index}, the same on every call and in every process with the same seed. */
  public Person person(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("no person " + index + " in a population of " + size);
    }
    SplittableRandom rng = random(index, 0);
    Region region = REGIONS.get(rng.nextInt(REGIONS.size()));
    boolean male = rng.nextBoolean();
    LocalDate birth = FIRST_BIRTH.plusDays((long) (index % DAYS) * STRIDE % DAYS);
    int sequence = 2 * (index / DAYS) + (male ? 1 : 0);
    String idNumber = ResidentIdNumber.complete(region.code() + birth.format(BASIC_DATE) + String.format("%03d", sequence));
    String name = SURNAMES[rng.nextInt(SURNAMES.length)] + GIVEN[rng.nextInt(GIVEN.length)]
        + (rng.nextInt(3) == 0 ? "" : GIVEN[rng.nextInt(GIVEN.length)]);
    String phone = PHONE_PREFIXES[rng.nextInt(PHONE_PREFIXES.length)] + String.format("%08d", rng.nextInt(100_000_000));
    String address = region.name() + STREETS[rng.nextInt(STREETS.length)] + (1 + rng.nextInt(300)) + "号"
        + (1 + rng.nextInt(20)) + "栋" + (101 + rng.nextInt(6) * 100 + rng.nextInt(4)) + "室";
    return new Person(index, idNumber, name, male, birth, phone, region, address);
  }

  /** The person with this ID number, if there is one; arithmetic on the number's date and sequence, no search. */
  public Optional<Person> find(String idNumber) {
    if (!ResidentIdNumber.isValid(idNumber)) {
      return Optional.empty();
    }
    LocalDate birth;
    try {
      birth = LocalDate.parse(idNumber.substring(6, 14), BASIC_DATE);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    long day = ChronoUnit.DAYS.between(FIRST_BIRTH, birth);
    if (day < 0 || day >= DAYS) {
      return Optional.empty();
    }
    long index = Integer.parseInt(idNumber.substring(14, 17)) / 2 * (long) DAYS + day * STRIDE_INVERSE % DAYS;
    if (index >= size) {
      return Optional.empty();
    }
    Person person = person((int) index);
    return person.idNumber().equalsIgnoreCase(idNumber) ? Optional.of(person) : Optional.empty();
  }

  /** A name for someone outside the population (a spouse, say), drawn from {@code rng}. */
  static String spouseName(SplittableRandom rng) {
    return SURNAMES[rng.nextInt(SURNAMES.length)] + GIVEN[rng.nextInt(GIVEN.length)] + GIVEN[rng.nextInt(GIVEN.length)];
  }

  /**
   * A random source for one purpose ({@code salt}) of one person, independent of every other: records for one query
   * never shift because another query's generator changed.
   */
  SplittableRandom random(int index, long salt) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + salt * 0x165667B19E3779F9L);
  }

  /** A uniform number in [0, 1) fixed for this person and purpose. */
  double share(int index, long salt) {
    return random(index, salt ^ 0x5EED).nextDouble();
  }
}
