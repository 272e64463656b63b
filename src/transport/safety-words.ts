/**
 * The word list of the group safety code (identity.ts): 256 short, common English nouns,
 * one per byte value, sorted, pairwise distinct, easy to say and hear over a call.
 * Our own list (not a standard one); changing it changes every safety code, so it is
 * versioned together with SAFETY_CODE_DOMAIN.
 */
export const SAFETY_WORDS: readonly string[] = [
  'acorn actor adult agent alarm album alley amber angle ankle apple april apron arena arrow atlas',
  'attic audio autumn award bacon badge bagel baker bamboo banana banjo barn basil basket beach beard',
  'beaver bell bench berry bike bird blanket blossom boat bonus book boot bottle bounce bowl brain',
  'branch bread brick bridge broom brush bubble bucket buffalo butter cabin cactus camel camera candle canoe',
  'canyon carpet carrot castle cedar cello chalk cherry chess chicken cider circle clock cloud clover coconut',
  'coffee comet copper coral cotton cowboy crane crayon crown cupcake curtain daisy dancer desert diamond dinner',
  'doctor dolphin donkey dragon drum eagle earth echo elbow engine falcon farmer feather fence fiddle finger',
  'flag flute forest fossil fox garden garlic giant ginger giraffe glacier globe glove goat gold grape',
  'guitar hammer harbor harp helmet hockey honey horse hotel island ivory jacket jaguar jelly jungle kettle',
  'kitten koala ladder lamp lemon lens lily lion lizard lobster magnet mango maple marble meadow melon',
  'mirror monkey moose motor muffin napkin needle nest noodle ocean olive onion orange orbit otter oven',
  'owl paddle panda paper parrot peach peanut pebble pencil pepper piano pigeon pillow pilot pizza planet',
  'plum pocket pony potato pumpkin puzzle quilt rabbit radio rainbow raven ribbon river robot rocket saddle',
  'salmon sandal school scooter shadow shark sheep shell silver skate sleeve snail spider spoon squid stamp',
  'star statue sugar summer sunset swan table tiger toast tomato tractor trumpet tulip tunnel turtle umbrella',
  'valley velvet violin wagon walnut walrus water whale wheat window winter wizard wolf yogurt zebra zipper',
]
  .join(' ')
  .split(' ');
